// A Plotly chart that a new figure from the server updates in place (Plotly.react), so a slider
// move redraws the paths without rebuilding the chart: st.plotly_chart remounts the chart, and
// with it the WebGL 3D scene, whenever its figure changes. It also sends back clicks on a click
// grid and the view the user leaves (animation step, 3D camera), keeps a hidden path's moving
// marks hidden, and follows its element's width: a figure whose layout.meta.responsive says so
// (figures/style.py, sized_by_width) takes its height, and below a width its narrow form, from
// the width the chart has here, which the server cannot know.
const TOUCH_ONLY = window.matchMedia("(hover: none)");
const WINDOW_GAP_PX = 8; // between a figure that fills the window and the window's bottom

// plotly.js, fetched once per page: usually already under way, started by ui/plotly_loader.js
// with the page's first elements (ui.load_plotly).
function loadPlotly() {
  __LOAD_PLOTLY__
  return window.__gradientAtlasPlotly;
}

const charts = new WeakMap(); // the component's element -> its chart
const drawn = new Set(); // every chart on the page, for window resizes
// Charts draw one at a time, each after the browser has painted the one before, top of the page
// first: the next to draw is picked only once plotly.js is there, when the page's charts have
// all arrived (they mount in no fixed order; Compare's loss chart often before the map above it).
let drawing = Promise.resolve();
const waiting = []; // {chart, text}: figures that arrived and are not drawn yet

function takeTopmost() {
  const above = (a, b) =>
    a.chart.div.compareDocumentPosition(b.chart.div) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 0;
  let best = 0;
  for (let i = 1; i < waiting.length; i++) if (above(waiting[i], waiting[best]) < 0) best = i;
  return waiting.splice(best, 1)[0];
}

function chartIn(parentElement) {
  let chart = charts.get(parentElement);
  if (!chart) {
    const div = document.createElement("div");
    div.className = "atlas-chart"; // Plotly adds js-plotly-plot once it has drawn
    parentElement.appendChild(div);
    chart = { div, figurePart: null, setTriggerValue: null, width: 0 };
    charts.set(parentElement, chart);
    drawn.add(chart);
    // Follow the element's width: a chart drawn in a hidden tab, a collapsed sidebar, a resized
    // window (Plotly's own `responsive` only watches the window).
    new ResizeObserver(([entry]) => {
      const width = Math.round(entry.contentRect.width);
      if (width > 0 && width !== chart.width && chart.figurePart !== null) {
        chart.width = width;
        follow(chart);
      }
    }).observe(div);
    // A figure that fills the window below its top must follow that top, which moves when the
    // content above it changes size: each ancestor's size is watched (cheap, and only charts
    // whose form depends on it redraw).
    const refit = new ResizeObserver(() => {
      if (chart.figurePart !== null && chart.figure.layout.meta?.responsive?.fillWindow) {
        follow(chart, false);
      }
    });
    for (let e = parentElement; e && e !== document.body; e = e.parentElement) refit.observe(e);
  }
  return chart;
}

// A window that changes height changes the height a figure may take (screenShare, fillWindow);
// a change of width reaches each chart through its own observer.
window.addEventListener("resize", () => {
  for (const chart of drawn) {
    if (chart.div.isConnected && chart.figurePart !== null) follow(chart, false);
  }
});

// Redraw the chart in the form its width and place call for now, if that changed; otherwise
// (`resize`: its width did change) let Plotly fit it to the new width.
function follow(chart, resize = true) {
  drawing = drawing
    .then(async () => {
      const Plotly = await loadPlotly();
      if (sizeOf(chart.figure, chart.div.clientWidth, chart.div).key !== chart.formKey) {
        await reform(Plotly, chart);
      } else if (resize) {
        Plotly.Plots.resize(chart.div);
      }
    })
    .catch((error) => console.error(error));
}

// What the figure looks like at `width` pixels: its layout.meta.responsive rule (if any) picks
// the height and, below its narrow width, merges the narrow form into the layout and traces.
// Returns fresh copies (Plotly keeps and changes what it is given) and a key naming the form.
function formOf(figure, width, chartDiv) {
  const layout = structuredClone(figure.layout);
  const data = structuredClone(figure.data);
  const { narrow, height, key } = sizeOf(figure, width, chartDiv);
  if (narrow) {
    merge(layout, narrow.layout);
    for (const [index, patch] of Object.entries(narrow.data ?? {})) merge(data[index], patch);
  }
  if (height != null) layout.height = height;
  return { layout, data, key };
}

// Which form (the narrow one or null) and height (null: the figure's own) at `width`, and a key
// that changes exactly when either does.
function sizeOf(figure, width, chartDiv) {
  const rule = figure.layout.meta?.responsive;
  if (!rule) return { narrow: null, height: null, key: "" };
  const narrow = rule.narrow && width > 0 && width < rule.narrow.below ? rule.narrow : null;
  const form = narrow ?? rule;
  let height = null;
  if (form.aspect != null) {
    const wanted = Math.min(width * form.aspect, heightLeft(form, chartDiv));
    height = Math.round(Math.max(form.minHeight, wanted));
  }
  return { narrow, height, key: `${narrow ? "narrow" : "wide"} ${height}` };
}

// The most height a form may take: a share of the window's height (screenShare), or all of the
// window below the chart's top (fillWindow: the whole figure on screen without scrolling).
function heightLeft(form, div) {
  let limit = Infinity;
  if (form.screenShare) limit = window.innerHeight * form.screenShare;
  if (form.fillWindow) {
    let scrolled = window.scrollY;
    for (let e = div.parentElement; e; e = e.parentElement) scrolled += e.scrollTop;
    const top = div.getBoundingClientRect().top + scrolled;
    limit = Math.min(limit, window.innerHeight - top - WINDOW_GAP_PX);
  }
  return limit;
}

function merge(target, patch) {
  for (const [key, value] of Object.entries(patch)) {
    const both = [target[key], value].every((v) => v && typeof v === "object" && !Array.isArray(v));
    if (both) merge(target[key], value);
    else target[key] = structuredClone(value);
  }
  return target;
}

const SCENE_TRACES = new Set(["surface", "scatter3d"]);

async function plot(Plotly, chart, first = false) {
  const form = formOf(chart.figure, chart.div.clientWidth, chart.div);
  chart.formKey = form.key;
  chart.hidden = new Set();
  // A screen that cannot hover (a phone, a tablet) shows Plotly's tool bar all the time, over
  // the legend above the plot: there it is left out.
  const config = TOUCH_ONLY.matches ? { ...chart.config, displayModeBar: false } : chart.config;
  if (first && form.data.some((trace) => SCENE_TRACES.has(trace.type))) {
    // The map and its paths go first: setting up a 3D scene takes about a second in software
    // WebGL, and the map is what a student reads. The scene follows once the map is painted.
    const flat = form.data.filter((trace) => !SCENE_TRACES.has(trace.type));
    await Plotly.react(chart.div, {
      data: structuredClone(flat),
      layout: structuredClone(form.layout),
      config,
    });
    await new Promise((painted) => requestAnimationFrame(() => setTimeout(painted, 0)));
  }
  await Plotly.react(chart.div, {
    data: form.data,
    layout: form.layout,
    frames: structuredClone(chart.figure.frames ?? []),
    config,
  });
  await hideGroups(Plotly, chart);
}

// The same figure in the form another width calls for, on the step it was showing.
async function reform(Plotly, chart) {
  const { step } = currentView(chart);
  chart.busy = true;
  try {
    await plot(Plotly, chart);
    await showView(Plotly, chart, { step, eye: null });
  } finally {
    chart.busy = false;
  }
}

async function draw(chart, text) {
  // The message is {"figure": …, "config": …}: a message whose figure did not change carries
  // only the view this chart reported itself, and needs no drawing.
  const figurePart = text.slice(0, text.lastIndexOf(',"config":'));
  if (figurePart === chart.figurePart) return;
  const Plotly = await loadPlotly();
  const { figure, config, clickTrace, view } = JSON.parse(text);
  const first = chart.figurePart === null;
  chart.figurePart = figurePart;
  // Kept pristine (plot draws copies): for hideGroups and for drawing it in another form.
  chart.figure = figure;
  chart.config = config;
  chart.busy = true;
  try {
    await plot(Plotly, chart, first);
    if (view) {
      if (first) chart.view = { step: view.step, eye: view.eye };
      await showView(Plotly, chart, chart.view, first);
      // What is on screen now counts as reported: only the user's changes go back to the server.
      if (first) chart.view = currentView(chart);
    }
  } finally {
    chart.busy = false;
  }
  if (first) listen(Plotly, chart, clickTrace, Boolean(view));
}

function listen(Plotly, chart, clickTrace, tracksView) {
  const { div } = chart;
  div.on("plotly_restyle", () => hideGroups(Plotly, chart));
  if (clickTrace) {
    div.on("plotly_click", (event) => {
      const point = event.points.find((p) => p.data.name === clickTrace);
      if (point) chart.setTriggerValue("click", { x: point.x, y: point.y });
    });
  }
  if (tracksView) {
    // Once the user stops: a drag of the 3D view ends in a relayout, an animation in one of the
    // animation events.
    // Not while a new figure is being drawn: Plotly.react resets the step slider before
    // showView moves it back, and may emit a camera relayout on the way.
    const report = () => {
      clearTimeout(chart.reportTimer);
      chart.reportTimer = setTimeout(() => (chart.busy ? report() : reportView(chart)), 300);
    };
    div.on("plotly_relayout", (change) => {
      if (Object.keys(change).some((key) => key.startsWith("scene.camera"))) report();
    });
    for (const event of ["plotly_animated", "plotly_animationinterrupted", "plotly_sliderend"]) {
      div.on(event, report);
    }
  }
}

// The view (animation step, 3D camera eye) a link asked for on the first drawing, and the step
// the user left the animation at when a new figure (a moved slider) replaces the old one.
async function showView(Plotly, chart, view, first) {
  const { div } = chart;
  if (first && view.eye) {
    const [x, y, z] = view.eye;
    await Plotly.relayout(div, { "scene.camera.eye": { x, y, z } });
  }
  const steps = div.layout.sliders?.[0]?.steps ?? [];
  const shown = steps.filter((step) => Number(step.label) <= view.step).pop();
  if (shown && Number(shown.label) > 0) {
    await Plotly.animate(div, [shown.label], {
      mode: "immediate",
      frame: { duration: 0, redraw: true },
      transition: { duration: 0 },
    });
    // An animation started from code does not always move the step slider (after a
    // Plotly.react it stays put): set it to the step shown.
    const index = steps.indexOf(shown);
    if (div.layout.sliders[0].active !== index) {
      await Plotly.relayout(div, { "sliders[0].active": index });
    }
  }
}

// The step on screen, and the camera's eye unless it is the figure's own (null): a link names
// the camera only once the user has turned the view.
function currentView(chart) {
  const { div, figure } = chart;
  const slider = div.layout.sliders?.[0];
  const step = slider ? Number(slider.steps[slider.active ?? 0].label) : 0;
  const eye = div._fullLayout.scene?.camera?.eye;
  const own = figure.layout.scene?.camera?.eye;
  const moved = eye && !(own && ["x", "y", "z"].every((axis) => eye[axis] === own[axis]));
  return { step, eye: moved ? [eye.x, eye.y, eye.z] : null };
}

// Tell the server where the user left the animation and the camera, for the page's link.
function reportView(chart) {
  const reported = currentView(chart);
  const round = (values) => values && values.map((value) => Math.round(value * 1000) / 1000);
  const same =
    reported.step === chart.view.step &&
    JSON.stringify(round(reported.eye)) === JSON.stringify(round(chart.view.eye));
  if (same) return;
  chart.view = reported;
  chart.setTriggerValue("view", reported);
}

// A trace with meta.groups holds points of several legend groups (every path's moving marker
// shares one trace, so frames stay small). When a legend click hides a group's own traces, blank
// its points in those shared traces too, now and in every animation frame.
async function hideGroups(Plotly, chart) {
  const { div, figure } = chart;
  const hidden = new Set(
    div.data.filter((t) => t.visible === "legendonly" && t.legendgroup).map((t) => t.legendgroup),
  );
  if (hidden.size === chart.hidden.size && [...hidden].every((g) => chart.hidden.has(g))) return;
  chart.hidden = hidden;
  const groupsOf = (index) => figure.data[index].meta?.groups;
  const blank = (trace, groups) => {
    const out = { ...trace };
    for (const axis of ["x", "y", "z"]) {
      if (Array.isArray(trace[axis])) {
        out[axis] = trace[axis].map((value, i) => (hidden.has(groups[i]) ? null : value));
      }
    }
    return out;
  };
  const frames = (figure.frames ?? []).map((frame) => ({
    ...frame,
    data: frame.data.map((trace, k) => {
      const groups = groupsOf(frame.traces[k]);
      return groups ? blank(trace, groups) : trace;
    }),
  }));
  // Frames with the names of existing ones replace them (Plotly.deleteFrames sorts the indices
  // as text, so it deletes the wrong frames once there are more than ten).
  if (frames.length) await Plotly.addFrames(div, frames);
  // What the chart shows now: the original traces, moved to the frame the step slider is on.
  const frame = figure.frames?.[div.layout.sliders?.[0]?.active ?? 0];
  for (const [index, trace] of figure.data.entries()) {
    const groups = groupsOf(index);
    if (!groups) continue;
    const k = frame ? frame.traces.indexOf(index) : -1;
    const now = blank(k >= 0 ? { ...trace, ...frame.data[k] } : trace, groups);
    const update = {};
    for (const axis of ["x", "y", "z"]) if (now[axis]) update[axis] = [now[axis]];
    await Plotly.restyle(div, update, [index]);
  }
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  const chart = chartIn(parentElement);
  chart.setTriggerValue = setTriggerValue;
  const text = new TextDecoder().decode(data);
  waiting.push({ chart, text });
  drawing = drawing
    .then(loadPlotly)
    .then(() => {
      const next = takeTopmost();
      return draw(next.chart, next.text);
    })
    .catch((error) => console.error(error))
    .then(() => new Promise(requestAnimationFrame));
  return () => loadPlotly().then((Plotly) => Plotly.purge(chart.div));
}
