import { Counter } from 'prom-client';

export const deadLettersRecorded = new Counter({
  name: 'fapiao_dead_letters_recorded_total',
  help: 'Messages this service dead-lettered and recorded for operators, by base topic and error code',
  labelNames: ['topic', 'code'],
});

export const deadLettersRedriven = new Counter({
  name: 'fapiao_dead_letters_redriven_total',
  help: 'Dead letters an operator redrove to their `.retry` topic, by base topic',
  labelNames: ['topic'],
});
