import { describe, expect, it } from 'vitest';
import {
  compareRoutePrecedence,
  compileRouteTemplate,
  RouteTemplateError,
} from '../../src/compileRouteTemplate.js';

describe('compileRouteTemplate', () => {
  it.each([
    ['hello', 'hello', {}],
    ['hello', 'HELLO', {}],
    ['hello', 'hello/', {}],
    ['items/{id}', 'items/7', { id: '7' }],
    ['items/{id:int}', 'items/-7', { id: '-7' }],
    ['items/{id:int}/{tag?}', 'items/7', { id: '7' }],
    ['items/{id:int}/{tag?}', 'items/7/red', { id: '7', tag: 'red' }],
    ['items/{kind=all}', 'items', { kind: 'all' }],
    ['files/{*path}', 'files/a/b/c.txt', { path: 'a/b/c.txt' }],
    ['files/{*path}', 'files', {}],
    ['names/{name}', 'names/J%C3%BCrgen', { name: 'Jürgen' }],
    [
      'g/{id:guid}',
      'g/3f2504e0-4f89-11d3-9a0c-0305e82c3301',
      { id: '3f2504e0-4f89-11d3-9a0c-0305e82c3301' },
    ],
    ['a/{x:alpha}', 'a/abc', { x: 'abc' }],
    ['b/{x:bool}', 'b/True', { x: 'True' }],
    ['r/{x:range(1,5)}', 'r/5', { x: '5' }],
    ['l/{x:length(2)}', 'l/ab', { x: 'ab' }],
    ['l/{x:minlength(2):maxlength(3)}', 'l/abc', { x: 'abc' }],
    ['s/{slug:regex(^[a-z-]+$)}', 's/my-slug', { slug: 'my-slug' }],
    ['', '', {}],
  ])('%s matches %s', (template, path, params) => {
    expect(compileRouteTemplate(template).match(path)).toEqual(params);
  });

  it.each([
    ['hello', 'goodbye'],
    ['hello', 'hello/extra'],
    ['items/{id}', 'items'],
    ['items/{id:int}', 'items/abc'],
    ['items/{id:int}', 'items/99999999999'],
    ['a/{x:alpha}', 'a/ab1'],
    ['r/{x:range(1,5)}', 'r/6'],
    ['l/{x:length(2)}', 'l/abc'],
    ['s/{slug:regex(^[a-z-]+$)}', 's/UPPER_'],
    ['d/{x:double}', 'd/abc'],
  ])('%s does not match %s', (template, path) => {
    expect(compileRouteTemplate(template).match(path)).toBeUndefined();
  });

  it.each([
    ['a/{x:nope}', 'Invalid route template "a/{x:nope}": unknown constraint "nope"'],
    [
      'a/{*rest}/b',
      'Invalid route template "a/{*rest}/b": a catch-all parameter must be the last segment',
    ],
    [
      'a/x{y}',
      'Invalid route template "a/x{y}": a segment must be a literal or one parameter: "x{y}"',
    ],
    ['a/{x', 'Invalid route template "a/{x": unclosed parameter "{x"'],
  ])('rejects %s', (template, message) => {
    expect(() => compileRouteTemplate(template)).toThrow(RouteTemplateError);
    expect(() => compileRouteTemplate(template)).toThrow(message);
  });

  it('orders literal segments before parameters and catch-alls', () => {
    // Prepare
    const routes = ['items/{*rest}', 'items/{id}', 'items/{id:int}', 'items/new'].map(
      compileRouteTemplate,
    );
    // Act
    const ordered = [...routes].sort(compareRoutePrecedence).map((r) => r.template);
    // Assess
    expect(ordered).toEqual(['items/new', 'items/{id:int}', 'items/{id}', 'items/{*rest}']);
  });
});
