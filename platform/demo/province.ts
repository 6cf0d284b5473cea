// The demo province: 吉林省 institutions (names are typical of the province's health system,
// coordinates near each county seat) with a fleet spread over the four device families.
import type { DeviceFamily } from '../../contracts/device-api.js';
import type { InstitutionGrade, InstitutionKind } from '../../contracts/duties.js';
import { Site, type NewDevice } from '../../contracts/records.js';

interface County { code: string; lat: number; lng: number; sites: [suffix: string, name: string, kind: InstitutionKind][] }

/** The hospitals of the demo (not clinics, maternal-child centres or care homes): more devices each. */
const hospitalKinds: readonly InstitutionKind[] = ['general_hospital', 'tcm_hospital', 'specialty_hospital'];
export const isHospital = (s: Site): boolean => hospitalKinds.includes(s.kind);
/** Prefecture-level and provincial hospitals are 三级 (and 火灾高危单位), county ones 二级, clinics 一级. */
const gradeOf = (regionCode: string, name: string, kind: InstitutionKind): InstitutionGrade => {
  if (kind === 'elderly_care') return 'ungraded';
  if (kind === 'primary_care') return 'grade1';
  return /省|大学|市中心|^吉林市|^四平市|^通化市|^白城市/.test(name) && !/县|镇/.test(name) ? 'grade3' : 'grade2';
};
const surnames = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙'];

const counties: County[] = [
  { code: '220281', lat: 43.724, lng: 127.345, sites: [
    ['rmyy', '蛟河市人民医院', 'general_hospital'], ['zyy', '蛟河市中医院', 'tcm_hospital'], ['fybj', '蛟河市妇幼保健院', 'maternal_child'],
    ['tgwsy', '蛟河市天岗镇卫生院', 'primary_care'], ['xzwsy', '蛟河市新站镇卫生院', 'primary_care'],
    ['lfsq', '蛟河市拉法街道社区卫生服务中心', 'primary_care'], ['fly', '蛟河市社会福利中心', 'elderly_care'],
  ] },
  { code: '220282', lat: 42.972, lng: 126.746, sites: [
    ['rmyy', '桦甸市人民医院', 'general_hospital'], ['zyy', '桦甸市中医院', 'tcm_hospital'], ['fybj', '桦甸市妇幼保健院', 'maternal_child'],
  ] },
  { code: '220283', lat: 44.406, lng: 126.965, sites: [
    ['rmyy', '舒兰市人民医院', 'general_hospital'], ['zyy', '舒兰市中医院', 'tcm_hospital'],
  ] },
  { code: '220284', lat: 42.946, lng: 126.061, sites: [
    ['rmyy', '磐石市医院', 'general_hospital'], ['zyy', '磐石市中医院', 'tcm_hospital'],
  ] },
  { code: '220204', lat: 43.834, lng: 126.541, sites: [
    ['zxyy', '吉林市中心医院', 'general_hospital'], ['rmyy', '吉林市人民医院', 'general_hospital'], ['etyy', '吉林市儿童医院', 'specialty_hospital'],
  ] },
  { code: '220221', lat: 43.672, lng: 126.497, sites: [
    ['rmyy', '永吉县医院', 'general_hospital'], ['kqwsy', '永吉县口前镇卫生院', 'primary_care'],
  ] },
  { code: '220104', lat: 43.834, lng: 125.288, sites: [
    ['jdyy', '吉林大学第一医院', 'general_hospital'], ['sfyy', '吉林省人民医院', 'general_hospital'], ['zlyy', '吉林省肿瘤医院', 'specialty_hospital'],
  ] },
  { code: '220102', lat: 43.865, lng: 125.350, sites: [
    ['zyy', '长春中医药大学附属医院', 'tcm_hospital'], ['fybj', '吉林省妇幼保健院', 'maternal_child'],
  ] },
  { code: '220182', lat: 44.840, lng: 126.533, sites: [
    ['rmyy', '榆树市医院', 'general_hospital'], ['yly', '榆树市养老服务中心', 'elderly_care'],
  ] },
  { code: '220302', lat: 43.146, lng: 124.346, sites: [
    ['zxyy', '四平市中心医院', 'general_hospital'], ['zyy', '四平市中医院', 'tcm_hospital'],
  ] },
  { code: '222401', lat: 42.891, lng: 129.509, sites: [
    ['ybyy', '延边大学附属医院', 'general_hospital'], ['rmyy', '延吉市医院', 'general_hospital'],
  ] },
  { code: '222403', lat: 43.373, lng: 128.232, sites: [
    ['rmyy', '敦化市医院', 'general_hospital'], ['zyy', '敦化市中医院', 'tcm_hospital'],
  ] },
  { code: '220502', lat: 41.728, lng: 125.940, sites: [
    ['zxyy', '通化市中心医院', 'general_hospital'], ['rmyy', '通化市人民医院', 'general_hospital'],
  ] },
  { code: '220802', lat: 45.620, lng: 122.840, sites: [
    ['zxyy', '白城市中心医院', 'general_hospital'],
  ] },
];

export function demoSites(): Site[] {
  return counties.flatMap((county) => county.sites.map(([suffix, name, kind], i): Site => Site.parse({
    id: `site-${county.code}-${suffix}`,
    name,
    kind,
    grade: gradeOf(county.code, name, kind),
    keyUnit: kind !== 'primary_care',
    highRisk: gradeOf(county.code, name, kind) === 'grade3',
    beds: kind === 'primary_care' ? 20 + 10 * i : gradeOf(county.code, name, kind) === 'grade3' ? 1200 + 100 * i : 300 + 50 * i,
    fireSafetyResponsible: { name: `${surnames[(Number(county.code) + i) % surnames.length]}院长`, post: kind === 'elderly_care' ? '主任' : '院长', phone: `0432-${6200 + i}${county.code.slice(-3)}` },
    fireSafetyManager: { name: `${surnames[(Number(county.code) + i + 5) % surnames.length]}科长`, post: '保卫科科长', phone: `0432-${6300 + i}${county.code.slice(-3)}` },
    regionCode: county.code,
    lat: Number((county.lat + 0.012 * Math.cos(i * 1.7)).toFixed(5)),
    lng: Number((county.lng + 0.015 * Math.sin(i * 1.7)).toFixed(5)),
  })));
}

const buildings = ['门诊楼', '住院楼', '医技楼', '行政楼'];
const wards = ['内科病房', '外科病房', '儿科病房', '急诊科', '药房', '检验科', '影像科', '配电室', '护士站', '走廊'];

/** Heartbeat per family: what a hospital's devices typically report at. */
const heartbeatSec: Record<DeviceFamily, number> = { smoke_detector: 120, fire_panel: 60, charging_station: 30, hazmat_cabinet: 60, transmission_device: 60 };

/** Spreads `total` devices over the sites: mostly detectors, a panel per site, chargers and cabinets where they belong. */
export function demoDevices(sites: readonly Site[], total: number): NewDevice[] {
  const weight = (s: Site) => (isHospital(s) ? 3 : 1);
  const weights = sites.reduce((sum, s) => sum + weight(s), 0);
  const devices: NewDevice[] = [];
  sites.forEach((site, siteIndex) => {
    const n = Math.max(4, Math.round((total * weight(site)) / weights));
    const families: DeviceFamily[] = ['fire_panel', 'charging_station', 'hazmat_cabinet'];
    if (isHospital(site) && n > 20) families.push('charging_station', 'hazmat_cabinet');
    while (families.length < n) families.push('smoke_detector');
    families.slice(0, n).forEach((family, i) => {
      const building = buildings[(i + siteIndex) % buildings.length]!;
      devices.push({
        id: `${familyPrefix[family]}-${site.id.slice(5)}-${String(i + 1).padStart(3, '0')}`,
        family,
        siteId: site.id,
        model: models[family],
        building: family === 'charging_station' ? '电动车充电棚' : building,
        floor: family === 'charging_station' ? null : `${(i % 6) + 1}F`,
        zone: family === 'hazmat_cabinet' ? '危化品库' : family === 'charging_station' ? `充电区${(i % 3) + 1}` : wards[i % wards.length]!,
        heartbeatSec: heartbeatSec[family],
      });
    });
    // a hospital's fire-alarm panel also reaches FireNet the usual way: through a transmission device (GB/T 26875.3)
    if (isHospital(site)) {
      devices.push({
        id: `${familyPrefix.transmission_device}-${site.id.slice(5)}-001`, family: 'transmission_device', siteId: site.id,
        model: models.transmission_device, building: buildings[siteIndex % buildings.length]!, floor: '1F', zone: '消防控制室',
        heartbeatSec: heartbeatSec.transmission_device, gbAddress: (0x2200_0000_0000 + siteIndex + 1).toString(16).toUpperCase().padStart(12, '0'),
      });
    }
  });
  return devices;
}

const familyPrefix: Record<DeviceFamily, string> = { smoke_detector: 'sd', fire_panel: 'fp', charging_station: 'cs', hazmat_cabinet: 'hc', transmission_device: 'td' };
const models: Record<DeviceFamily, string> = { smoke_detector: 'JTY-GD-NB01', fire_panel: 'JB-QB-UITD', charging_station: 'EBC-10P', hazmat_cabinet: 'HCC-V2', transmission_device: 'UITD-26875' };

/** Demo users, one per role (password: DEMO_PASSWORD). */
export const demoUsers = [
  { username: 'jilin-bureau', role: 'bureau', regionCode: '220000', siteIds: [] },
  { username: 'jilinshi-bureau', role: 'bureau', regionCode: '220200', siteIds: [] },
  { username: 'jiaohe-bureau', role: 'bureau', regionCode: '220281', siteIds: [] },
  { username: 'jiaohe-operator', role: 'operator', regionCode: null, siteIds: ['site-220281-rmyy'] },
  { username: 'jiaohe-safety', role: 'safety_manager', regionCode: null, siteIds: ['site-220281-rmyy'] },
  { username: 'jiaohe-logistics', role: 'logistics', regionCode: null, siteIds: ['site-220281-rmyy', 'site-220281-zyy'] },
] as const;
