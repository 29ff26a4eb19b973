import { toErrorResponse, ZodValidationPipe } from '@fapiao/platform/http';
import { CancelOrderRequestSchema } from './cancel-order.dto';

describe('CancelOrderRequestSchema', () => {
  const pipe = new ZodValidationPipe(CancelOrderRequestSchema);

  it('accepts no body, an empty body and every reason code', () => {
    expect(pipe.transform(undefined)).toBeUndefined();
    expect(pipe.transform({})).toEqual({});
    for (const reasonCode of ['01', '02', '03', '04']) {
      expect(pipe.transform({ reasonCode })).toEqual({ reasonCode });
    }
  });

  it.each([['05'], ['2'], [2], [null]])('answers 422 with a field for reasonCode %p', (reasonCode) => {
    let thrown: unknown;
    try {
      pipe.transform({ reasonCode });
    } catch (error) {
      thrown = error;
    }
    const { status, body } = toErrorResponse(thrown);
    expect(status).toBe(422);
    expect(body).toMatchObject({ code: 'REQUEST.INVALID', field: 'reasonCode' });
  });

  it('answers 422 for a body that is not an object', () => {
    let thrown: unknown;
    try {
      pipe.transform(['02']);
    } catch (error) {
      thrown = error;
    }
    expect(toErrorResponse(thrown).status).toBe(422);
  });
});
