/**
 * Counter and histogram families that aggregate in plain objects and leave prom-client only the rendering.
 * prom-client's own `labels(...).inc()`/`observe()` build, validate and hash a label object on every update,
 * which cost the gateway about a tenth of its throughput. Here a caller looks a series up once (positional label
 * values, one Map lookup), keeps the handle, and every update is arithmetic on it. Each family registers itself
 * with a prom-client `Registry` as a custom metric, so the exposition text is prom-client's, byte for byte: same
 * series order (first update), same label order, same `le` values, same escaping.
 */
import type { Metric, OpenMetricsContentType, PrometheusContentType, Registry } from 'prom-client';

// The Prometheus data model's names, as prom-client checks them.
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const KEY_SEPARATOR = '\u0001';

type Labels = Record<string, string | number>;
/** Either kind of registry, as prom-client's own metrics accept. */
type AnyRegistry = Registry<PrometheusContentType> | Registry<OpenMetricsContentType>;

/** One line of a metric as prom-client's registry renders it. */
export interface RenderedValue {
  value: number;
  labels: Labels;
  metricName?: string;
  /** The series' own labels, rendered after `labels`; prom-client caches their text per object. */
  sharedLabels?: Labels;
}

export interface RenderedMetric {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  aggregator: 'sum';
  values: RenderedValue[];
}

export interface FamilyOptions {
  name: string;
  help: string;
  /** Label names; series are looked up by their values in this order. */
  labelNames?: readonly string[];
  registers: AnyRegistry[];
}

export interface HistogramFamilyOptions extends FamilyOptions {
  /** Upper bounds, ascending; `+Inf` is implied. */
  buckets: readonly number[];
}

/** What a series needs from its family: to be listed again after a reset, or for the first time. */
interface SeriesOwner<S> {
  activate(series: S): void;
}

abstract class Family<S extends { active: boolean }> implements SeriesOwner<S> {
  readonly name: string;
  readonly help: string;
  readonly aggregator = 'sum';
  readonly labelNames: readonly string[];
  /** Every series handed out, so a handle stays the one series for its labels across resets. */
  private readonly byKey = new Map<string, S>();
  /** Series updated since the last reset, in first-update order: prom-client renders in that order. */
  protected listed: S[] = [];

  constructor(options: FamilyOptions) {
    if (!METRIC_NAME.test(options.name)) throw new Error(`Invalid metric name: ${options.name}`);
    const labelNames = options.labelNames ?? [];
    for (const labelName of labelNames) {
      if (!LABEL_NAME.test(labelName)) throw new Error(`Invalid label name: ${labelName}`);
    }
    this.name = options.name;
    this.help = options.help;
    this.labelNames = labelNames;
  }

  /** The series for these label values (in `labelNames` order). It is rendered from its first update on. */
  series(values: readonly string[]): S {
    const key = values.join(KEY_SEPARATOR);
    let series = this.byKey.get(key);
    if (series === undefined) {
      if (values.length !== this.labelNames.length) {
        throw new Error(`${this.name}: ${values.length} label values for ${this.labelNames.length} label names (${this.labelNames.join(', ')})`);
      }
      const labels: Labels = {};
      for (let index = 0; index < values.length; index++) labels[this.labelNames[index]] = values[index];
      series = this.create(labels);
      this.byKey.set(key, series);
    }
    return series;
  }

  activate(series: S): void {
    series.active = true;
    this.listed.push(series);
  }

  /** Called by `Registry.resetMetrics()`: every series drops to zero and out of the text until updated again. */
  reset(): void {
    for (const series of this.listed) {
      series.active = false;
      this.clear(series);
    }
    this.listed = [];
  }

  protected register(registers: AnyRegistry[]): void {
    // The registry needs only name, help, type, aggregator, get() and reset(); its typings name its own classes.
    for (const registry of registers) registry.registerMetric(this as unknown as Metric);
  }

  protected abstract create(labels: Labels): S;
  protected abstract clear(series: S): void;
}

export class CounterSeries {
  value = 0;
  active = false;

  constructor(
    readonly labels: Labels,
    private readonly owner: SeriesOwner<CounterSeries>,
  ) {}

  inc(amount = 1): void {
    // prom-client's checks, in its order: a non-finite amount and a decrease throw (NaN is let through).
    if (amount && !Number.isFinite(amount)) throw new TypeError(`Value is not a valid number: ${amount}`);
    if (amount < 0) throw new Error('It is not possible to decrease a counter');
    if (!this.active) this.owner.activate(this);
    this.value += amount;
  }
}

export class CounterFamily extends Family<CounterSeries> {
  readonly type = 'counter';

  constructor(options: FamilyOptions) {
    super(options);
    this.resetUnlabelled();
    this.register(options.registers);
  }

  override reset(): void {
    super.reset();
    this.resetUnlabelled();
  }

  async get(): Promise<RenderedMetric> {
    return {
      help: this.help,
      name: this.name,
      type: this.type,
      values: this.listed.map((series) => ({ value: series.value, labels: series.labels })),
      aggregator: this.aggregator,
    };
  }

  protected create(labels: Labels): CounterSeries {
    return new CounterSeries(labels, this);
  }

  protected clear(series: CounterSeries): void {
    series.value = 0;
  }

  /** prom-client shows a counter without labels at 0 from the start and after every reset. */
  private resetUnlabelled(): void {
    if (this.labelNames.length === 0) this.activate(this.series([]));
  }
}

export class HistogramSeries {
  /** Per bucket, not cumulative: an observation lands in exactly one (or none, above the last bound). */
  readonly bucketCounts: Float64Array;
  sum = 0;
  count = 0;
  active = false;

  constructor(
    readonly labels: Labels,
    private readonly upperBounds: readonly number[],
    private readonly owner: SeriesOwner<HistogramSeries>,
  ) {
    this.bucketCounts = new Float64Array(upperBounds.length);
  }

  observe(value: number): void {
    if (!Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${value}`);
    if (!this.active) this.owner.activate(this);
    const bounds = this.upperBounds;
    let index = 0;
    while (index < bounds.length && value > bounds[index]) index++;
    if (index < bounds.length) this.bucketCounts[index]++;
    this.sum += value;
    this.count++;
  }
}

export class HistogramFamily extends Family<HistogramSeries> {
  readonly type = 'histogram';
  readonly upperBounds: readonly number[];

  constructor(options: HistogramFamilyOptions) {
    super(options);
    if (this.labelNames.includes('le')) throw new Error('le is a reserved label keyword');
    for (let index = 1; index < options.buckets.length; index++) {
      if (!(options.buckets[index] > options.buckets[index - 1])) throw new Error(`${options.name}: buckets must be ascending`);
    }
    this.upperBounds = [...options.buckets];
    // prom-client lists a histogram without labels at zero from the start, but not again after a reset.
    if (this.labelNames.length === 0) this.activate(this.series([]));
    this.register(options.registers);
  }

  /** What the registry renders: the series' labels stay a shared object, as prom-client's own histogram does. */
  async getForPromString(): Promise<RenderedMetric> {
    return this.render(true);
  }

  /** The JSON form (`getMetricsAsJSON`, cluster aggregation): every value carries all its labels. */
  async get(): Promise<RenderedMetric> {
    return this.render(false);
  }

  protected create(labels: Labels): HistogramSeries {
    return new HistogramSeries(labels, this.upperBounds, this);
  }

  protected clear(series: HistogramSeries): void {
    series.bucketCounts.fill(0);
    series.sum = 0;
    series.count = 0;
  }

  private render(shared: boolean): RenderedMetric {
    const bucketName = `${this.name}_bucket`;
    const sumName = `${this.name}_sum`;
    const countName = `${this.name}_count`;
    const value = (labels: Labels, series: HistogramSeries, metricName: string, amount: number): RenderedValue =>
      shared ? { value: amount, labels, metricName, sharedLabels: series.labels } : { value: amount, labels: { ...labels, ...series.labels }, metricName };
    const values: RenderedValue[] = [];
    for (const series of this.listed) {
      let cumulative = 0;
      for (let index = 0; index < this.upperBounds.length; index++) {
        cumulative += series.bucketCounts[index];
        values.push(value({ le: this.upperBounds[index] }, series, bucketName, cumulative));
      }
      values.push(value({ le: '+Inf' }, series, bucketName, series.count));
      values.push(value({}, series, sumName, series.sum));
      values.push(value({}, series, countName, series.count));
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }
}
