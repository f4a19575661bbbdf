/**
 * One SVG chart per scenario: a vega-lite spec compiled to vega and rendered headless
 * (`renderer: 'none'`, `View.toSVG()`); one panel per metric, bars = median, rules = min–max.
 */
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';

/** The vega-lite spec of a scenario's results. */
function chartSpec(scenario) {
  const values = [];
  const metricTitles = [];
  for (const metric of scenario.metrics) {
    if (metric.chart === false) continue;
    metricTitles.push(metric.unit ? `${metric.label} (${metric.unit})` : metric.label);
    for (const row of scenario.rows) {
      const v = row.values[metric.key];
      if (!v || !Number.isFinite(v.median)) continue;
      values.push({
        metric: metric.unit ? `${metric.label} (${metric.unit})` : metric.label,
        variant: row.label,
        median: v.median,
        min: v.min,
        max: v.max,
      });
    }
  }
  const variants = scenario.rows.map((row) => row.label);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: scenario.title,
      subtitle: 'median of repetitions; line = min–max',
      anchor: 'start',
    },
    data: { values },
    facet: {
      column: {
        field: 'metric',
        type: 'nominal',
        title: null,
        sort: metricTitles,
        header: { labelFontSize: 11, labelLimit: 0 },
      },
    },
    spec: {
      width: 200,
      height: 180,
      layer: [
        {
          mark: { type: 'bar', tooltip: true },
          encoding: {
            x: {
              field: 'variant',
              type: 'nominal',
              sort: variants,
              title: null,
              axis: { labelAngle: -30 },
            },
            y: { field: 'median', type: 'quantitative', title: null },
            color: { field: 'variant', type: 'nominal', sort: variants, legend: null },
          },
        },
        {
          mark: { type: 'rule', strokeWidth: 2, color: '#333' },
          encoding: {
            x: { field: 'variant', type: 'nominal', sort: variants },
            y: { field: 'min', type: 'quantitative' },
            y2: { field: 'max' },
          },
        },
        {
          mark: { type: 'text', dy: -8, fontSize: 10 },
          encoding: {
            x: { field: 'variant', type: 'nominal', sort: variants },
            y: { field: 'max', type: 'quantitative' },
            text: { field: 'median', type: 'quantitative', format: ',.3~r' },
          },
        },
      ],
    },
    resolve: { scale: { y: 'independent' } },
  };
}

/** Renders a scenario's chart to SVG text. */
export async function renderChart(scenario) {
  const compiled = vegaLite.compile(chartSpec(scenario)).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
