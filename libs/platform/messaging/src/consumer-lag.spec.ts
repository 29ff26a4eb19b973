import { Gauge, Registry } from 'prom-client';
import { ConsumerLagSeries } from './metrics';

const series = async (gauge: Gauge<'topic' | 'partition' | 'group'>) =>
  (await gauge.get()).values.map(
    ({ labels, value }) => `${labels.group} ${labels.topic}/${labels.partition}=${value}`,
  );

describe('ConsumerLagSeries', () => {
  const gauge = () =>
    new Gauge({
      name: 'lag',
      help: 'lag',
      labelNames: ['topic', 'partition', 'group'] as const,
      registers: [new Registry()],
    });

  it('drops the series of partitions a rebalance took away, keeps the others and other groups', async () => {
    const lag = gauge();
    const tracked = new ConsumerLagSeries(lag);
    tracked.set('g', 't', 0, 5);
    tracked.set('g', 't', 1, 7);
    tracked.set('g', 't', 2, 9);
    tracked.set('other', 't', 1, 3);
    tracked.keepOnly('g', 't', [1]);
    expect(await series(lag)).toEqual(['g t/1=7', 'other t/1=3']);
  });

  it('drops every series of a consumer that stopped, and reports a partition again once it is back', async () => {
    const lag = gauge();
    const tracked = new ConsumerLagSeries(lag);
    tracked.set('g', 't', 0, 5);
    tracked.keepOnly('g', 't', []);
    expect(await series(lag)).toEqual([]);
    tracked.set('g', 't', 0, 2);
    expect(await series(lag)).toEqual(['g t/0=2']);
  });
});
