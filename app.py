"""Gradient Atlas: page configuration and navigation only."""

import streamlit as st

import landscapes
import optimizers

st.set_page_config(page_title="Gradient Atlas", page_icon="🧭", layout="wide")
st.title("Gradient Atlas")
st.write(
    f"{len(landscapes.names())} surfaces and {len(optimizers.names())} optimizers are ready; "
    "the pages arrive next."
)
