import { Inject, Injectable } from '@nestjs/common';
import { formatInvoiceNumber } from '../domain/invoice-number';
import { NumberBlocks } from '../domain/number-blocks';
import { SIM_CONFIG, type SimConfig } from '../sim.config';
import { SimRepository } from './sim.repository';

/**
 * The process's invoice numbers: blocks of SIM_NUMBER_BLOCK_SIZE per prefix, reserved in number_sequences
 * by one autocommitted statement each and handed out in memory. Take numbers before opening the issuing
 * transaction: a reservation must never wait for a connection while a transaction holds one.
 */
@Injectable()
export class NumberAllocator {
  private readonly blocks: NumberBlocks;

  constructor(repository: SimRepository, @Inject(SIM_CONFIG) config: SimConfig) {
    this.blocks = new NumberBlocks(
      (prefix, size) => repository.reserveNumbers(prefix, size),
      config.numberBlockSize,
    );
  }

  /** `count` unused 20-digit numbers of `prefix`. */
  async numbers(prefix: string, count = 1): Promise<string[]> {
    return (await this.blocks.take(prefix, count)).map((sequence) => formatInvoiceNumber(prefix, sequence));
  }
}
