import { z } from 'zod';
import { MAX_PAGE, MAX_PAGE_SIZE, pageOf, pageQuery } from './openapi';

describe('pageQuery', () => {
  const query = z.object(pageQuery({ defaultSize: 50, maxSize: 200 }));

  it('defaults to the first page of the default size, and coerces query strings', () => {
    expect(query.parse({})).toEqual({ page: 1, pageSize: 50 });
    expect(query.parse({ page: '3', pageSize: '200' })).toEqual({ page: 3, pageSize: 200 });
  });

  it.each([
    [{ pageSize: '201' }],
    [{ pageSize: '0' }],
    [{ pageSize: '1e9' }],
    [{ page: '0' }],
    [{ page: String(MAX_PAGE + 1) }],
    [{ page: '1e300' }],
    [{ page: '1.5' }],
  ])('refuses %p', (value) => {
    expect(query.safeParse(value).success).toBe(false);
  });

  it(`refuses to be declared above MAX_PAGE_SIZE (${MAX_PAGE_SIZE})`, () => {
    expect(() => pageQuery({ maxSize: MAX_PAGE_SIZE + 1 })).toThrow();
    expect(() => pageQuery({ defaultSize: 300, maxSize: 200 })).toThrow();
  });

  it('is what pageOf documents', () => {
    const page = pageOf(z.string());
    expect(page.safeParse({ items: [], total: 0, page: 1, pageSize: MAX_PAGE_SIZE + 1 }).success).toBe(false);
  });
});
