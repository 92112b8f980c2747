"""Placeholder while this page is built (replaced in the same change set)."""

import streamlit as st

st.title("Coming shortly")
