// Decoding in its own process, on plain node and the compiled server (dist/, as `npm start` runs it; under tsx's
// loader every closure would pay for its name): GB/T 26875.3 frames (reader, unit, mapping to events, validation)
// against the MQTT edge's JSON events (decodeJson, parseEvent) for the same fire alarm, frames per second.
const dist = new URL('../../dist/', import.meta.url);
const { decodeJson } = await import(new URL('gateway/codecs/json.js', dist).href);
const { parseEvent } = await import(new URL('contracts/device-api.js', dist).href);
const { commands, encodeFrame } = await import(new URL('contracts/gb26875/frame.js', dist).href);
const { FrameReader } = await import(new URL('contracts/gb26875/reader.js', dist).href);
const { decodeUnit, encodeUnit } = await import(new URL('contracts/gb26875/units.js', dist).href);
const { mapUnit } = await import(new URL('gateway/gb26875/mapping.js', dist).href);

const job = await new Promise((resolve) => {
  process.once('message', resolve);
  process.on('disconnect', () => process.exit(0));
  process.send({ type: 'hello' });
});
const time = { second: 2, minute: 58, hour: 9, day: 26, month: 9, year: 2026 };
const BATCH = 200;

// one read holding BATCH component fire alarms, each with a Chinese description
const frames = Array.from({ length: BATCH }, (_, i) => encodeFrame({
  serial: i + 1, version: 0x0101, time, source: '000000000379', destination: '000000015B38', command: commands.send,
  data: encodeUnit({ type: 2, objects: [{ type: 2, systemType: 1, systemAddress: 1, componentType: 42, componentAddress: 0x00010000 + i, status: 0x0003, description: '住院楼3层东区护士站', time }] }),
}));
const stream = Buffer.concat(frames);
const json = Array.from({ length: BATCH }, (_, i) => Buffer.from(JSON.stringify({
  id: `e-${i}`, ts: Date.UTC(2026, 8, 26, 1, 58, 2), type: 'fire.alarm', data: { loop: 1, point: i, zone: '住院楼3层东区护士站', component: 'smoke' },
})));

function rate(run) {
  let n = 0;
  const warm = performance.now() + job.ms / 5;
  while (performance.now() < warm) run();
  const start = performance.now();
  while (performance.now() - start < job.ms) n += run();
  return n / ((performance.now() - start) / 1000);
}

const memory = new Map();
const gb = rate(() => {
  let n = 0;
  for (const read of new FrameReader().push(stream)) {
    if (read.kind !== 'frame') continue;
    const unit = decodeUnit(read.frame.data);
    if (!unit.ok) throw new Error(unit.reason);
    for (const e of mapUnit(read.frame, unit.unit, memory, 0).events) if (!parseEvent('transmission_device', e).ok) throw new Error('bad event');
    n++;
  }
  return n;
});
const mqtt = rate(() => {
  let n = 0;
  for (const payload of json) {
    const decoded = decodeJson(payload, 8192);
    if (!decoded.ok || !parseEvent('fire_panel', decoded.value).ok) throw new Error('bad json');
    n++;
  }
  return n;
});
process.send({ type: 'done', gb, mqtt, frameBytes: frames[0].length, jsonBytes: json[0].length });
