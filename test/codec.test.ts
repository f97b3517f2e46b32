import { expect } from '@open-wc/testing';
import {
  decodePayload,
  encodeCommand,
  encodePayload,
  PayloadError,
  parseBoolean,
  readPath,
} from '../src/session/codec.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('payload codecs', () => {
  it('auto: JSON when it parses, else text', () => {
    expect(decodePayload(bytes('{"a":1}'))).to.deep.equal({ a: 1 });
    expect(decodePayload(bytes('21.5'))).to.equal(21.5);
    expect(decodePayload(bytes('true'))).to.equal(true);
    expect(decodePayload(bytes('hello'))).to.equal('hello');
    expect(decodePayload(bytes('12 apples'))).to.equal('12 apples');
  });

  it('text, number, boolean, bytes, json', () => {
    expect(decodePayload(bytes('42'), 'text')).to.equal('42');
    expect(decodePayload(bytes(' 42.5 '), 'number')).to.equal(42.5);
    for (const [text, value] of [
      ['ON', true],
      ['off', false],
      ['1', true],
      ['0', false],
      ['True', true],
      ['FALSE', false],
    ] as const) {
      expect(decodePayload(bytes(text), 'boolean'), text).to.equal(value);
    }
    const raw = new Uint8Array([0, 255, 7]);
    expect(decodePayload(raw, 'bytes')).to.equal(raw);
    expect(decodePayload(bytes('[1,2]'), 'json')).to.deep.equal([1, 2]);
  });

  it('path extracts fields with dot and bracket notation', () => {
    expect(decodePayload(bytes('{"a":{"b":[{"c":7}]}}'), 'auto', 'a.b[0].c')).to.equal(7);
    expect(readPath({ celsius: 21 }, 'celsius')).to.equal(21);
  });

  it('explains what it cannot decode', () => {
    const cases: [string, Parameters<typeof decodePayload>[1], string?][] = [
      ['abc', 'number'],
      ['maybe', 'boolean'],
      ['{bad', 'json'],
      ['{bad', 'auto', 'a'],
      ['{"a":1}', 'auto', 'b'],
    ];
    for (const [text, type, path] of cases) {
      expect(() => decodePayload(bytes(text), type, path), `${text} as ${type} ${path ?? ''}`).to.throw(PayloadError);
    }
    try {
      decodePayload(new Uint8Array([0xff, 0xfe, 0x80]), 'text');
      expect.fail('no error');
    } catch (error) {
      expect((error as PayloadError).hint).to.contain('type="bytes"');
    }
    expect(() => parseBoolean('yes')).to.throw(PayloadError);
  });

  it('encodes values for publishing', () => {
    expect(encodePayload('on')).to.equal('on');
    expect(encodePayload({ a: 1 })).to.equal('{"a":1}');
    expect(encodePayload(5)).to.equal('5');
    expect(encodePayload('x', 'json')).to.equal('"x"');
    expect(encodePayload('7', 'number')).to.equal('7');
    expect(encodePayload('on', 'boolean')).to.equal('true');
    expect(encodePayload('hi', 'bytes')).to.deep.equal(bytes('hi'));
    expect(() => encodePayload('seven', 'number')).to.throw(PayloadError);
  });

  it('encodes commands: a fixed payload, or a template with {value}', () => {
    // No template: the value encoded by type.
    expect(encodeCommand(5, 'auto', undefined)).to.equal('5');
    expect(encodeCommand('x', 'json', null)).to.equal('"x"');
    // A fixed payload without a value, as written (also where type="json": it is JSON already).
    expect(encodeCommand(undefined, 'auto', 'go')).to.equal('go');
    expect(encodeCommand(undefined, 'json', '{"on": true}')).to.equal('{"on": true}');
    expect(encodeCommand(undefined, 'bytes', 'go')).to.deep.equal(bytes('go'));
    // A fixed payload with a value (a button's value attribute): the value wins.
    expect(encodeCommand('7', 'number', 'go')).to.equal('7');
    // Text templates: the value as text, objects as JSON, no value as nothing.
    expect(encodeCommand('high', 'text', 'level={value}')).to.equal('level=high');
    expect(encodeCommand(30, 'auto', '{value}%/{value}')).to.equal('30%/30');
    expect(encodeCommand({ a: 1 }, 'text', 'set {value}')).to.equal('set {"a":1}');
    expect(encodeCommand(undefined, 'text', 'level={value}')).to.equal('level=');
    expect(encodeCommand(null, 'auto', 'level={value}')).to.equal('level=');
    // JSON templates: the value inserted JSON-encoded; no value as null.
    expect(encodeCommand(30, 'json', '{"brightness": {value}}')).to.equal('{"brightness": 30}');
    expect(encodeCommand('on', 'json', '{"state": {value}}')).to.equal('{"state": "on"}');
    expect(encodeCommand(undefined, 'json', '{"state": {value}}')).to.equal('{"state": null}');
  });

  it('explains a payload template that gives invalid JSON, and a value that does not fit type', () => {
    try {
      encodeCommand('on', 'json', '{"state": "{value}"}');
      expect.fail('no error');
    } catch (error) {
      expect(error).to.be.instanceOf(PayloadError);
      expect((error as PayloadError).message).to.contain('{"state": ""on""}');
      expect((error as PayloadError).hint).to.contain('{"level": {value}}');
    }
    expect(() => encodeCommand('seven', 'number', undefined)).to.throw(PayloadError);
    expect(() => encodeCommand(undefined, 'number', 'go')).to.throw(PayloadError);
  });
});
