"""A seeded sample of the hostile links tests/link_fuzz.py makes from every page's own settings
(bench/link_fuzz.py runs them all): no exception, no warning, a chart or a message on every page,
and a note whenever a value was not taken as given."""

import link_fuzz

PER_PAGE = 10  # about 75 cases: with the discovery of every page's settings about 70 s
SEED = 16


def test_hostile_links_are_explained_never_raised():
    every = [case for page in link_fuzz.PAGES for case in link_fuzz.cases(page)]
    chosen = link_fuzz.sample(every, PER_PAGE, SEED)
    assert {case.page for case in chosen} == set(link_fuzz.PAGES)
    problems = [problem for case in chosen for problem in link_fuzz.check(case)]
    assert not problems, "\n".join(problems)


def test_a_new_setting_is_fuzzed_without_writing_a_case():
    # Explore's settings as its widgets seed them, including those a context reveals: the
    # formula and the domain appear once the surface is "custom".
    keys = {case.key for case in link_fuzz.cases("explore")}
    assert {"lr", "steps", "surface", "formula", "x_min", "start_x", "noise"} <= keys
