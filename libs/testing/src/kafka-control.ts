/**
 * Broker faults from tests, made to the real Kafka process of the Jest global setup (tools/kafka): a
 * client of the control endpoint whose address the setup puts in KAFKA_CONTROL_URL.
 */
export interface KafkaControl {
  /** Controlled shutdown of the broker: connections refused until `up()`. */
  down(): Promise<void>;
  /** Starts it again on the same port with the same data. */
  up(): Promise<void>;
  /** SIGSTOP: connections stay open and nothing answers, as with a hung machine. */
  pause(): Promise<void>;
  resume(): Promise<void>;
}

export function kafkaControl(url = process.env['KAFKA_CONTROL_URL']): KafkaControl {
  if (!url) {
    throw new Error(
      'KAFKA_CONTROL_URL is not set: broker faults need the Kafka of the Jest global setup (KAFKA_BROKERS unset)',
    );
  }
  const post = async (action: string): Promise<void> => {
    const response = await fetch(`${url}/${action}`, { method: 'POST' });
    if (!response.ok) throw new Error(`kafka ${action}: ${response.status} ${await response.text()}`);
  };
  return {
    down: () => post('down'),
    up: () => post('up'),
    pause: () => post('pause'),
    resume: () => post('resume'),
  };
}
