/**
 * The families must render exactly what prom-client's own Counter and Histogram render for the same updates:
 * each test feeds both, in two registries, and compares the exposition text byte for byte.
 */
import { Counter, Histogram, Registry, type OpenMetricsContentType } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parseSeries } from '../../test/helpers/prometheus-text.js';
import { CounterFamily, HistogramFamily } from './metric-families.js';

const BUCKETS = [0.1, 0.5, 1, 2.5];
// Values that need escaping in the text format, and an empty one.
const AWKWARD = ['say "hi"', 'back\\slash', 'two\nlines', ''];

function pair() {
  return { theirs: new Registry(), ours: new Registry() };
}

function openMetricsPair() {
  const theirs = new Registry<OpenMetricsContentType>();
  const ours = new Registry<OpenMetricsContentType>();
  for (const registry of [theirs, ours]) registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  return { theirs, ours };
}

describe('CounterFamily', () => {
  it('renders what a prom-client Counter renders, escaping included, in first-update order', async () => {
    const { theirs, ours } = pair();
    const options = { name: 'demo_requests_total', help: 'Requests with a "quoted" \\ help\nline.', labelNames: ['class', 'status'] };
    const counter = new Counter({ ...options, registers: [theirs] });
    const family = new CounterFamily({ ...options, registers: [ours] });
    const updates: [string, string, number | undefined][] = [
      ['workhorse', '200', undefined],
      [AWKWARD[0], '503', 2],
      ['workhorse', '200', 0.25],
      [AWKWARD[1], AWKWARD[2], 0],
      [AWKWARD[3], '200', 1e-7],
      [AWKWARD[0], '503', 3],
    ];
    for (const [className, status, amount] of updates) {
      counter.labels(className, status).inc(amount);
      family.series([className, status]).inc(amount);
    }

    expect(await ours.metrics()).toBe(await theirs.metrics());
    expect(parseSeries(await ours.metrics()).get('demo_requests_total{class="say \\"hi\\"",status="503"}')).toBe(5);
  });

  it('renders an empty family, and one without labels at zero, like prom-client', async () => {
    const { theirs, ours } = pair();
    new Counter({ name: 'empty_total', help: 'Nothing yet.', labelNames: ['class'], registers: [theirs] });
    new CounterFamily({ name: 'empty_total', help: 'Nothing yet.', labelNames: ['class'], registers: [ours] });
    new Counter({ name: 'plain_total', help: 'No labels.', registers: [theirs] });
    new CounterFamily({ name: 'plain_total', help: 'No labels.', registers: [ours] });

    const text = await ours.metrics();
    expect(text).toBe(await theirs.metrics());
    expect(text).toBe('# HELP empty_total Nothing yet.\n# TYPE empty_total counter\n\n# HELP plain_total No labels.\n# TYPE plain_total counter\nplain_total 0\n');
  });

  it('throws where prom-client throws', () => {
    const family = new CounterFamily({ name: 'strict_total', help: 'Checks.', labelNames: ['class'], registers: [] });
    const series = family.series(['workhorse']);
    expect(() => series.inc(-1)).toThrow('It is not possible to decrease a counter');
    expect(() => series.inc(Infinity)).toThrow(TypeError);
    expect(() => family.series(['workhorse', 'extra'])).toThrow(/2 label values for 1 label names/);
    expect(() => new CounterFamily({ name: 'bad-name', help: 'x', registers: [] })).toThrow(/Invalid metric name/);
    expect(() => new CounterFamily({ name: 'ok_total', help: 'x', labelNames: ['bad-label'], registers: [] })).toThrow(/Invalid label name/);
  });

  it('renders like prom-client in OpenMetrics format too', async () => {
    const { theirs, ours } = openMetricsPair();
    const options = { name: 'open_requests_total', help: 'Requests.', labelNames: ['class'] };
    new Counter({ ...options, registers: [theirs] }).labels('workhorse').inc(3);
    new CounterFamily({ ...options, registers: [ours] }).series(['workhorse']).inc(3);

    expect(await ours.metrics()).toBe(await theirs.metrics());
  });
});

describe('HistogramFamily', () => {
  const options = { name: 'demo_duration_seconds', help: 'Durations.', labelNames: ['operation', 'model'], buckets: BUCKETS };

  it('renders what a prom-client Histogram renders: cumulative buckets, +Inf, sum and count per series', async () => {
    const { theirs, ours } = pair();
    const histogram = new Histogram({ ...options, registers: [theirs] });
    const family = new HistogramFamily({ ...options, registers: [ours] });
    // On a bound, between bounds, below the first, above the last, zero and negative.
    const observations: [string, string, number][] = [
      ['chat', 'gpt-4o', 0.1],
      ['chat', AWKWARD[0], 0.3],
      ['chat', 'gpt-4o', 0.05],
      ['embeddings', AWKWARD[1], 7],
      ['chat', 'gpt-4o', 2.5],
      ['chat', 'gpt-4o', 99],
      [AWKWARD[2], AWKWARD[3], 0],
      ['chat', AWKWARD[0], -1],
    ];
    for (const [operation, model, value] of observations) {
      histogram.labels(operation, model).observe(value);
      family.series([operation, model]).observe(value);
    }

    const text = await ours.metrics();
    expect(text).toBe(await theirs.metrics());
    const series = parseSeries(text);
    const of = (suffix: string, le?: string) => series.get(`demo_duration_seconds_${suffix}{${le ? `le="${le}",` : ''}model="gpt-4o",operation="chat"}`);
    expect(['0.1', '0.5', '1', '2.5', '+Inf'].map((le) => of('bucket', le))).toStrictEqual([2, 2, 2, 3, 4]);
    expect(of('sum')).toBe(0.1 + 0.05 + 2.5 + 99);
    expect(of('count')).toBe(4);
  });

  it('renders an empty family, and one without labels at zero, like prom-client', async () => {
    const { theirs, ours } = pair();
    new Histogram({ ...options, registers: [theirs] });
    new HistogramFamily({ ...options, registers: [ours] });
    new Histogram({ name: 'plain_seconds', help: 'No labels.', buckets: BUCKETS, registers: [theirs] });
    new HistogramFamily({ name: 'plain_seconds', help: 'No labels.', buckets: BUCKETS, registers: [ours] });

    const text = await ours.metrics();
    expect(text).toBe(await theirs.metrics());
    expect(text).toContain('plain_seconds_bucket{le="+Inf"} 0\nplain_seconds_sum 0\nplain_seconds_count 0\n');
  });

  it('gives getMetricsAsJSON the labels prom-client gives it, in its order (cluster aggregation renders them)', async () => {
    const { theirs, ours } = pair();
    new Histogram({ ...options, registers: [theirs] }).labels('chat', 'gpt-4o').observe(0.7);
    new HistogramFamily({ ...options, registers: [ours] }).series(['chat', 'gpt-4o']).observe(0.7);
    const values = async (registry: Registry) =>
      (await registry.getMetricsAsJSON()).flatMap((metric) => metric.values.map(({ value, labels, metricName }: { value: number; labels: object; metricName?: string }) => ({ value, labels: Object.entries(labels), metricName })));

    expect(await values(ours)).toStrictEqual(await values(theirs));
  });

  it('throws where prom-client throws', () => {
    const family = new HistogramFamily({ ...options, registers: [] });
    expect(() => family.series(['chat', 'gpt-4o']).observe(Number.NaN)).toThrow(TypeError);
    expect(() => new HistogramFamily({ ...options, labelNames: ['le'], registers: [] })).toThrow('le is a reserved label keyword');
    expect(() => new HistogramFamily({ ...options, buckets: [1, 0.5], registers: [] })).toThrow(/ascending/);
  });
});

describe('Registry.resetMetrics()', () => {
  it('empties both families as prom-client empties its metrics, and handles taken before keep counting', async () => {
    const { theirs, ours } = pair();
    const labelled = { name: 'reset_total', help: 'Counter.', labelNames: ['class'] };
    const timed = { name: 'reset_seconds', help: 'Histogram.', labelNames: ['class'], buckets: BUCKETS };
    const plain = { name: 'reset_plain_seconds', help: 'Unlabelled histogram.', buckets: BUCKETS };
    const plainCount = { name: 'reset_plain_total', help: 'Unlabelled counter.' };
    const theirCounter = new Counter({ ...labelled, registers: [theirs] }).labels('a');
    const theirHistogram = new Histogram({ ...timed, registers: [theirs] });
    const theirPlain = new Histogram({ ...plain, registers: [theirs] });
    const theirPlainCount = new Counter({ ...plainCount, registers: [theirs] });
    const counter = new CounterFamily({ ...labelled, registers: [ours] }).series(['a']);
    const histogramFamily = new HistogramFamily({ ...timed, registers: [ours] });
    const plainSeries = new HistogramFamily({ ...plain, registers: [ours] }).series([]);
    const plainCounter = new CounterFamily({ ...plainCount, registers: [ours] }).series([]);
    const update = (value: number, className: string) => {
      theirCounter.inc(value);
      counter.inc(value);
      theirHistogram.labels(className).observe(value);
      histogramFamily.series([className]).observe(value);
    };
    update(0.3, 'a');
    update(4, 'b');
    theirPlain.observe(0.2);
    plainSeries.observe(0.2);
    theirPlainCount.inc(2);
    plainCounter.inc(2);

    theirs.resetMetrics();
    ours.resetMetrics();
    const afterReset = await ours.metrics();
    expect(afterReset).toBe(await theirs.metrics());
    // prom-client drops an unlabelled histogram on reset but keeps an unlabelled counter at zero.
    expect(afterReset).not.toContain('reset_plain_seconds_count');
    expect(afterReset).toContain('reset_plain_total 0');

    // After a reset, series come back in their new first-update order, from zero.
    update(0.7, 'b');
    update(1.5, 'a');
    theirPlain.observe(3);
    plainSeries.observe(3);
    const text = await ours.metrics();
    expect(text).toBe(await theirs.metrics());
    const series = parseSeries(text);
    expect(series.get('reset_total{class="a"}')).toBe(0.7 + 1.5);
    expect(series.get('reset_seconds_count{class="b"}')).toBe(1);
    expect(series.get('reset_plain_seconds_bucket{le="+Inf"}')).toBe(1);
  });
});
