/** Raised by the fault interceptor for answers the global error filter cannot give: 502, a reset, no answer. */
export class InjectedFault extends Error {
  constructor(readonly effect: { kind: 'reset' } | { kind: 'hang' } | { kind: 'error'; status: number }) {
    super(`injected fault: ${effect.kind}`);
    this.name = 'InjectedFault';
  }
}
