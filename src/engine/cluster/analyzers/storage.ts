import type { PersistentVolumeClaim } from '../objects.js';
import { latestEvent } from '../relations.js';
import type { Analyzer, AnalyzerResult } from './analyzer.js';

export const pvcAnalyzer: Analyzer = {
  name: 'PersistentVolumeClaim',
  kind: 'PersistentVolumeClaim',
  description: 'claim Pending (with the provisioner event) or Lost',
  analyze: ({ snapshot }) =>
    snapshot.ofKind<PersistentVolumeClaim>('PersistentVolumeClaim').flatMap((pvc): AnalyzerResult[] => {
      const phase = pvc.status?.phase ?? 'Pending';
      const storageClass = pvc.spec?.storageClassName ?? '';
      const size = pvc.spec?.resources?.requests?.storage ?? '';
      if (phase === 'Pending') {
        const event = latestEvent(snapshot, pvc, [
          'ProvisioningFailed',
          'FailedBinding',
          'ExternalProvisioning',
        ]);
        const classMissing =
          storageClass !== '' &&
          snapshot.ofKind('StorageClass').length > 0 &&
          !snapshot.has('StorageClass', '', storageClass);
        const reason = classMissing
          ? `storage class ${storageClass} does not exist`
          : (event?.message ?? 'no volume bound yet');
        return [
          {
            object: pvc,
            severity: 'critical',
            findings: [
              {
                mode: 'PvcPending',
                text: `PersistentVolumeClaim is Pending: ${reason}`,
                facts: {
                  storageClass,
                  size,
                  message: reason,
                  ...(classMissing ? { storageClassMissing: 'true' } : {}),
                },
              },
            ],
          },
        ];
      }
      if (phase === 'Lost') {
        const volume = pvc.spec?.volumeName ?? '';
        return [
          {
            object: pvc,
            severity: 'critical',
            findings: [
              {
                mode: 'PvcLost',
                text: `PersistentVolumeClaim is Lost: its volume ${volume || '(unknown)'} no longer exists`,
                facts: { volume, storageClass, size },
              },
            ],
          },
        ];
      }
      return [];
    }),
};
