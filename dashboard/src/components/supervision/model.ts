// 通报 and 约谈 as the API sends them (GET /api/supervision), typed by the server's schemas (type-only).
import type { SupervisionKind, SupervisionRecord } from '../../../../contracts/supervision';

export type { SupervisionKind, SupervisionRecord };

export const supervisionKinds = ['notice', 'interview'] as const satisfies readonly SupervisionKind[];
