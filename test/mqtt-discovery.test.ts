import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { MqttConnection } from '../src/index.js';
import '../src/discovery.js';
import type { MqttDiscovery } from '../src/discovery.js';
import {
  brokerPublish,
  brokerUrl,
  captureWarnings,
  recordedPublishes,
  recordPublishes,
  sleep,
  stopBroker,
  uniqueTopic,
} from './helpers.js';

// <mqtt-discovery> against a real broker, fed the discovery configs of test/fixtures/discovery (as
// zigbee2mqtt, Tasmota and ESPHome publish them), each under a prefix and topics of its own.

interface Message {
  topic: string;
  payload: unknown;
}
interface Fixture {
  prefix: string;
  root: string;
  configs: Message[];
  states: Message[];
}

/** The topics each fixture's devices use: put under the test's own root. */
const ROOTS = ['zigbee2mqtt/', 'tasmota_A1B2C3/', 'greenhouse/'];

async function load(name: string): Promise<Fixture> {
  const data = (await (await fetch(`/test/fixtures/discovery/${name}.json`)).json()) as Fixture;
  const root = uniqueTopic(name);
  const rename = (text: string) =>
    ROOTS.reduce((result, prefix) => result.replaceAll(prefix, `${root}/${prefix}`), text);
  return {
    prefix: `${root}/ha`,
    root,
    configs: data.configs.map(({ topic, payload }) => ({
      topic: topic.replace(/^homeassistant\//, `${root}/ha/`),
      payload: JSON.parse(rename(JSON.stringify(payload))),
    })),
    states: data.states.map(({ topic, payload }) => ({ topic: rename(topic), payload })),
  };
}

const text = (payload: unknown) => (typeof payload === 'string' ? payload : JSON.stringify(payload));

async function publishAll(messages: Message[], retain = true): Promise<void> {
  for (const { topic, payload } of messages) await brokerPublish({ topic, payload: text(payload), retain });
}

describe('<mqtt-discovery>', () => {
  let url: string;
  before(async () => {
    url = await brokerUrl();
  });

  async function mount(data: Fixture, attributes = ''): Promise<MqttDiscovery> {
    await publishAll(data.configs);
    await publishAll(data.states);
    const conn = await fixture<MqttConnection>(
      html`<mqtt-connection url=${url}><mqtt-discovery prefix=${data.prefix}></mqtt-discovery></mqtt-connection>`
    );
    const el = conn.querySelector<MqttDiscovery>('mqtt-discovery')!;
    for (const attribute of attributes.split(' ').filter(Boolean)) {
      const [name, value] = attribute.split('=');
      el.setAttribute(name, value.replaceAll('_', ' '));
    }
    return el;
  }

  const root = (el: MqttDiscovery) => el.shadowRoot!;
  const cardTitles = (el: MqttDiscovery) =>
    [...root(el).querySelectorAll('[part="device-name"]')].map((heading) => heading.textContent);
  /** The entity row whose name is `name`. */
  function entity(el: MqttDiscovery, name: string): HTMLElement | undefined {
    return [...root(el).querySelectorAll<HTMLElement>('[part="entity"]')].find(
      (row) => row.querySelector('[part="name"]')!.textContent === name
    );
  }
  /** What the row's value shows: the value and its unit. */
  const shown = (row: HTMLElement | undefined) => {
    const parts = row?.querySelector('mqtt-value')?.shadowRoot?.querySelectorAll('[part="value"], [part="unit"]');
    return parts && [...parts].map((part) => part.textContent!.trim()).join(' ');
  };

  it('builds a card per zigbee2mqtt device, with values, a switch, a JSON light and a select', async () => {
    const data = await load('zigbee2mqtt');
    const infos: string[] = [];
    const info = console.info;
    console.info = (...args: unknown[]) => infos.push(args.join(' '));
    try {
      const el = await mount(data);
      await waitUntil(() => cardTitles(el).length === 4, `cards: ${cardTitles(el)}`);
      expect(cardTitles(el)).to.deep.equal(['Living room sensor', 'Front door', 'Kitchen plug', 'Hall bulb']);
      const info0 = root(el).querySelector('[part="device-info"]')!.textContent;
      expect(info0).to.equal('Aqara Temperature and humidity sensor (WSDCGQ11LM)');
      const living = root(el).querySelector('[part="card"]')!;
      const names = [...living.querySelectorAll('[part="name"]')].map((name) => name.textContent);
      expect(names).to.deep.equal(['Temperature', 'Humidity', 'Battery']);
      await waitUntil(
        () => shown(living.querySelector<HTMLElement>('[part="entity"]')!) === '21.37 °C',
        `shows ${shown(living.querySelector<HTMLElement>('[part="entity"]')!)}`
      );
      // `round(0)` and `int` as digits; a contact sensor in words (payload_on false: open).
      const rows = [...living.querySelectorAll<HTMLElement>('[part="entity"]')];
      await waitUntil(
        () => shown(rows[1]) === '45 %' && shown(rows[2]) === '97 %',
        `${shown(rows[1])} ${shown(rows[2])}`
      );
      await waitUntil(() => shown(entity(el, 'Front door')) === 'Closed');
      await brokerPublish({ topic: `${data.root}/zigbee2mqtt/Front door`, payload: '{"contact":false}' });
      await waitUntil(() => shown(entity(el, 'Front door')) === 'Open');
      // The unknown component is noted once on the console.
      expect(infos.filter((line) => line.includes('update'))).to.have.length(1);

      // The plug: a switch showing the state the device confirms.
      for (const device of ['Kitchen plug/set', 'Hall bulb/set', 'Kitchen plug/set/power_on_behavior'])
        await recordPublishes(`${data.root}/zigbee2mqtt/${device}`);
      const plug = entity(el, 'Kitchen plug')!.querySelector('input')!;
      expect(plug.getAttribute('role')).to.equal('switch');
      await waitUntil(() => plug.closest('mqtt-publish')!.hasAttribute('offline') === false);
      expect(plug.checked).to.be.false;
      plug.click();
      await waitUntil(async () =>
        (await recordedPublishes(`${data.root}/zigbee2mqtt/Kitchen plug/set`)).includes('ON')
      );
      await brokerPublish({ topic: `${data.root}/zigbee2mqtt/Kitchen plug`, payload: '{"state":"ON"}' });
      await waitUntil(() => plug.checked);
      // The bulb takes and reports JSON.
      const bulb = entity(el, 'Hall bulb')!.querySelector('input')!;
      await waitUntil(() => bulb.checked, 'the bulb never showed ON');
      bulb.click();
      await waitUntil(async () =>
        (await recordedPublishes(`${data.root}/zigbee2mqtt/Hall bulb/set`)).some((p) => JSON.parse(p).state === 'OFF')
      );
      // The select: its options, the state chosen, a command on change.
      const select = entity(el, 'Power-on behavior')!.querySelector('select')!;
      expect([...select.options].map((option) => option.value)).to.deep.equal(['off', 'on', 'toggle', 'previous']);
      await waitUntil(() => select.value === 'previous');
      select.value = 'on';
      select.dispatchEvent(new Event('change', { bubbles: true }));
      await waitUntil(async () =>
        (await recordedPublishes(`${data.root}/zigbee2mqtt/Kitchen plug/set/power_on_behavior`)).includes('on')
      );
      await expect(el).to.be.accessible();
      // The bridge going offline (the list form of availability, read through its template) makes every entity unavailable.
      await brokerPublish({
        topic: `${data.root}/zigbee2mqtt/bridge/state`,
        payload: '{"state":"offline"}',
        retain: true,
      });
      await waitUntil(() => root(el).querySelectorAll('[part="entity"]:not([data-unavailable])').length === 0);
    } finally {
      console.info = info;
    }
  });

  it('reads availability_mode all and any over several topics', async () => {
    const prefix = uniqueTopic('modes');
    const availability = [{ t: `${prefix}/a` }, { topic: `${prefix}/b`, pl_avail: 'up', pl_not_avail: 'down' }];
    const config = (mode: string) => ({
      topic: `${prefix}/sensor/${mode}/config`,
      payload: { name: mode, stat_t: `${prefix}/value`, avty: availability, avty_mode: mode, uniq_id: mode },
    });
    const el = await mount({
      prefix,
      root: prefix,
      configs: [config('all'), config('any'), config('latest')],
      states: [
        { topic: `${prefix}/a`, payload: 'online' },
        { topic: `${prefix}/b`, payload: 'down' },
      ],
    });
    const unavailable = () =>
      [...root(el).querySelectorAll('[part="entity"][data-unavailable] [part="name"]')].map((name) => name.textContent);
    await waitUntil(() => unavailable().join() === 'all,latest', `unavailable: ${unavailable()}`);
    // Retained, as availability topics are (a device's last will): a late retained replay cannot undo it.
    await brokerPublish({ topic: `${prefix}/b`, payload: 'up', retain: true });
    await waitUntil(
      () => unavailable().length === 0,
      `unavailable: ${unavailable()} ${JSON.stringify([...(el as unknown as { model: { availability: Map<string, string> } }).model.availability])}`
    );
    await brokerPublish({ topic: `${prefix}/a`, payload: 'offline', retain: true });
    await waitUntil(() => unavailable().join() === 'all,latest', `unavailable: ${unavailable()}`);
  });

  it('reads Tasmota configs: abbreviations, ~, bracket templates, availability on the LWT', async () => {
    const data = await load('tasmota');
    const el = await mount(data);
    await waitUntil(() => root(el).querySelectorAll('[part="entity"]').length === 4, `cards: ${cardTitles(el)}`);
    // One device (every config names it by its MAC); entity names without the device's in front.
    expect(cardTitles(el)).to.deep.equal(['Heater plug']);
    expect(root(el).querySelector('[part="device-info"]')!.textContent).to.equal('ITEAD Sonoff S31');
    await waitUntil(() => shown(entity(el, 'Power')) === '0 W', `shows ${shown(entity(el, 'Power'))}`);
    await waitUntil(() => shown(entity(el, 'Voltage')) === '231.5 V');
    await waitUntil(() => shown(entity(el, 'status')) === '76 %');
    const row = entity(el, 'Heater plug')!;
    expect(row.querySelector('mqtt-publish')!.getAttribute('topic')).to.equal(`${data.root}/tasmota_A1B2C3/cmnd/POWER`);
    expect(row.hasAttribute('data-unavailable')).to.be.false;
    await brokerPublish({ topic: `${data.root}/tasmota_A1B2C3/tele/LWT`, payload: 'Offline', retain: true });
    await waitUntil(() => row.hasAttribute('data-unavailable'));
    expect(row.querySelector('[part="unavailable"]')!.textContent).to.equal('unavailable');
    expect(row.querySelector('input')!.closest('[inert]')).to.exist;
    await brokerPublish({ topic: `${data.root}/tasmota_A1B2C3/tele/LWT`, payload: 'Online', retain: true });
    await waitUntil(() => !row.hasAttribute('data-unavailable'));
  });

  it('reads ESPHome configs: node ids, a number, a select, a fan, a button and a window', async () => {
    const data = await load('esphome');
    const el = await mount(data);
    await waitUntil(() => root(el).querySelectorAll('[part="entity"]').length === 6);
    expect(cardTitles(el)).to.deep.equal(['greenhouse']);
    expect(root(el).querySelector('[part="device-info"]')!.textContent).to.equal('espressif esp32dev');
    await waitUntil(() => shown(entity(el, 'Temperature')) === '24.6 °C', `shows ${shown(entity(el, 'Temperature'))}`);
    await waitUntil(() => shown(entity(el, 'Roof window')) === 'Closed');
    const slider = entity(el, 'Target humidity')!.querySelector('input')!;
    expect([slider.type, slider.min, slider.max, slider.step]).to.deep.equal(['range', '30', '90', '5']);
    await waitUntil(() => slider.value === '60');
    const select = entity(el, 'Watering')!.querySelector('select')!;
    await waitUntil(() => select.value === 'Auto');
    await recordPublishes(`${data.root}/greenhouse/button/restart/command`);
    await recordPublishes(`${data.root}/greenhouse/fan/fan/command`);
    await waitUntil(() => !entity(el, 'Restart')!.hasAttribute('data-unavailable'), 'the node never came online');
    entity(el, 'Restart')!.querySelector('button')!.click();
    await waitUntil(async () =>
      (await recordedPublishes(`${data.root}/greenhouse/button/restart/command`)).includes('PRESS')
    );
    entity(el, 'Fan')!.querySelector('input')!.click();
    await waitUntil(async () => (await recordedPublishes(`${data.root}/greenhouse/fan/fan/command`)).includes('ON'));
    // Narrowed without code: only sensors and binary sensors.
    el.components = 'sensor binary_sensor';
    await waitUntil(() => root(el).querySelectorAll('[part="entity"]').length === 2);
    el.components = undefined;
    el.devices = 'nothing here';
    await waitUntil(() => root(el).querySelector('[part="empty"]') !== null);
    el.devices = 'Greenhouse';
    await waitUntil(() => root(el).querySelectorAll('[part="entity"]').length === 6);
  });

  it('removes an entity whose config is emptied, and a device with its last entity', async () => {
    const data = await load('esphome');
    const el = await mount(data);
    await waitUntil(() => root(el).querySelectorAll('[part="entity"]').length === 6);
    await brokerPublish({ topic: data.configs[0].topic, payload: '', retain: true });
    await waitUntil(() => root(el).querySelectorAll('[part="entity"]').length === 5);
    expect(entity(el, 'Temperature')).to.be.undefined;
    for (const { topic } of data.configs.slice(1)) await brokerPublish({ topic, payload: '', retain: true });
    await waitUntil(() => root(el).querySelector('[part="empty"]') !== null);
  });

  it('reads each value_template form, and shows another raw (noted once)', async () => {
    const prefix = uniqueTopic('templates');
    const forms: [string, string, string][] = [
      ['{{ value }}', '17.25', '17.25'],
      ['{{ value_json.a.b }}', '{"a":{"b":3.5}}', '3.5'],
      ["{{ value_json['a'] }}", '{"a":"on"}', 'on'],
      ['{{ value_json["x"][1] }}', '{"x":[1,2]}', '2'],
      ['{{ value_json.t | float }}', '{"t":"21.5"}', '21.5'],
      ['{{ value_json.t | int }}', '{"t":20}', '20'],
      ['{{ value_json.t | round(2) }}', '{"t":1.23456}', '1.23'],
      ['{{ value_json.t | float | round(1) }}', '{"t":9.87}', '9.9'],
      ['{{ value_json.a if value_json.b else 0 }}', '{"a":1}', '{"a":1}'],
    ];
    const configs = forms.map(([template], i) => ({
      topic: `${prefix}/sensor/form${i}/config`,
      payload: { name: `Form ${i}`, stat_t: `${prefix}/state/${i}`, val_tpl: template, uniq_id: `form${i}` },
    }));
    const infos: string[] = [];
    const info = console.info;
    console.info = (...args: unknown[]) => infos.push(args.join(' '));
    try {
      const el = await mount({
        prefix,
        root: prefix,
        configs,
        states: forms.map(([, payload], i) => ({ topic: `${prefix}/state/${i}`, payload })),
      });
      for (const [i, [, , expected]] of forms.entries()) {
        await waitUntil(
          () => shown(entity(el, `Form ${i}`)) === expected,
          `form ${i}: ${shown(entity(el, `Form ${i}`))}`
        );
      }
      expect(infos.filter((line) => line.includes('value_template'))).to.have.length(1);
    } finally {
      console.info = info;
    }
  });

  it('never inserts markup from a config or a payload', async () => {
    const prefix = uniqueTopic('markup');
    const evil = '<img src=x onerror="window.hacked=1">';
    const configs = [
      {
        topic: `${prefix}/sensor/evil/config`,
        payload: {
          name: `<b>bold</b>${evil}`,
          stat_t: `${prefix}/evil`,
          ic: `mdi:${evil}`,
          unit_of_meas: evil,
          dev: { ids: 'evil', name: evil, mf: '<script>x()</script>', mdl: evil },
        },
      },
      {
        topic: `${prefix}/select/evil/config`,
        payload: {
          name: 'Evil select',
          stat_t: `${prefix}/evil`,
          cmd_t: `${prefix}/set`,
          ops: [evil, 'ok'],
          dev: { ids: 'evil' },
        },
      },
    ];
    const el = await mount({ prefix, root: prefix, configs, states: [{ topic: `${prefix}/evil`, payload: evil }] });
    await waitUntil(
      () => shown(entity(el, `<b>bold</b>${evil}`)) === `${evil} ${evil}`,
      `shows ${shown(entity(el, `<b>bold</b>${evil}`))}`
    );
    expect(cardTitles(el)).to.deep.equal([evil]);
    expect(root(el).querySelector('[part="device-info"]')!.textContent).to.equal(`<script>x()</script> ${evil}`);
    expect(root(el).querySelectorAll('img, b, script')).to.have.length(0);
    expect(entity(el, 'Evil select')!.querySelectorAll('option')[0].textContent).to.equal(evil);
    expect((window as { hacked?: number }).hacked).to.be.undefined;
  });

  it('with persist, shows the remembered cards and values at the next load, with the broker down', async () => {
    const prefix = uniqueTopic('remembered');
    const url = await brokerUrl('discovery');
    const config = {
      name: 'Cellar',
      stat_t: `${prefix}/cellar`,
      unit_of_meas: '°C',
      dev: { ids: 'c1', name: 'Cellar probe' },
    };
    await brokerPublish({
      name: 'discovery',
      topic: `${prefix}/sensor/cellar/config`,
      payload: JSON.stringify(config),
      retain: true,
    });
    await brokerPublish({ name: 'discovery', topic: `${prefix}/cellar`, payload: '11.5', retain: true });
    const page = () =>
      fixture<MqttConnection>(
        html`<mqtt-connection url=${url} persist><mqtt-discovery prefix=${prefix}></mqtt-discovery></mqtt-connection>`
      );
    const first = (await page()).querySelector<MqttDiscovery>('mqtt-discovery')!;
    await waitUntil(() => shown(entity(first, 'Cellar')) === '11.5 °C');
    await sleep(1500); // written once a second
    first.closest('mqtt-connection')!.remove();
    await stopBroker('discovery');
    try {
      const el = (await page()).querySelector<MqttDiscovery>('mqtt-discovery')!;
      await waitUntil(() => shown(entity(el, 'Cellar')) === '11.5 °C', 'the remembered card never showed');
      expect(cardTitles(el)).to.deep.equal(['Cellar probe']);
      expect(entity(el, 'Cellar')!.querySelector('mqtt-value')!.hasAttribute('stale')).to.be.true;
      await (el.closest('mqtt-connection') as MqttConnection).forget();
    } finally {
      await brokerUrl('discovery');
    }
  });

  it('reports a config that is not JSON, and keeps the others', async () => {
    const prefix = uniqueTopic('broken');
    const { warnings, restore } = captureWarnings();
    try {
      const configs = [
        { topic: `${prefix}/sensor/bad/config`, payload: '{"name": "Bad",' },
        { topic: `${prefix}/sensor/good/config`, payload: { name: 'Good', stat_t: `${prefix}/good` } },
      ];
      const el = await mount({ prefix, root: prefix, configs, states: [{ topic: `${prefix}/good`, payload: '1' }] });
      await waitUntil(() => shown(entity(el, 'Good')) === '1');
      expect(el.getAttribute('error')).to.match(/sensor\/bad\/config was skipped: the config is not JSON/);
      expect(warnings).to.have.length(1);
    } finally {
      restore();
    }
  });
});
