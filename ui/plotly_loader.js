// Fetches and compiles plotly.js, once per page: the chart component (ui/plotly_chart.js) waits
// on the same promise. ui.load_plotly sends it as a script with the page's first elements, which
// the browser runs some tenths of a second before the first chart component mounts.
window.__gradientAtlasPlotly ??= new Promise((resolve, reject) => {
  const script = document.createElement("script");
  script.src = new URL("__PLOTLY_SRC__", document.baseURI).href;
  // Keep our copy even if Streamlit's own chart code later sets window.Plotly to its own.
  script.onload = () => resolve(window.Plotly);
  script.onerror = () => reject(new Error(`could not load Plotly from ${script.src}`));
  document.head.appendChild(script);
});
