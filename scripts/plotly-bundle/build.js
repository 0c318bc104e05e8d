// plotly.js with only the trace types Gradient Atlas draws, built as plotly.js builds its own
// dist bundles (its esbuild-config.js: the same plugins, aliases and target).
// Usage: node build.js OUTFILE   (scripts/build-plotly-bundle runs it)
const esbuild = require('esbuild');
const { environmentPlugin } = require('esbuild-plugin-environment');
const { glsl } = require('esbuild-plugin-glsl');
const InlineCSSPlugin = require('esbuild-plugin-inline-css');
const { version } = require('plotly.js/package.json');

// scatter is in plotly.js's core; the others are registered. Keep in step with the figures
// (tests/test_ui.py checks every trace type they use is here).
const TRACES = ['scatter', 'scatter3d', 'surface', 'contour', 'heatmap'];
const entry = [
  "var Plotly = require('plotly.js/lib/core');",
  `Plotly.register([${TRACES.slice(1).map((t) => `require('plotly.js/lib/${t}')`).join(', ')}]);`,
  'module.exports = Plotly;',
].join('\n');

esbuild
  .build({
    stdin: { contents: entry, resolveDir: __dirname },
    outfile: process.argv[2],
    format: 'iife',
    globalName: 'Plotly',
    bundle: true,
    minify: true,
    legalComments: 'none',
    banner: {
      js: `/* plotly.js v${version}, partial bundle: traces ${TRACES.join(', ')}. Copyright 2012-2026 Plotly, Inc. MIT license (LICENSE.plotly.js) */`,
    },
    plugins: [InlineCSSPlugin(), glsl({ minify: true }), environmentPlugin({ NODE_DEBUG: false })],
    alias: { regl: '@plotly/regl', stream: 'stream-browserify' },
    define: { global: 'window', 'define.amd': 'false' },
    target: 'es2016',
    logLevel: 'warning',
  })
  .then(() => console.log(`wrote ${process.argv[2]} (plotly.js ${version}: ${TRACES.join(', ')})`));
