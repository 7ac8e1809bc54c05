import type { IPodSecurityContext, ISecurityContext } from 'kubernetes-models/v1';

/**
 * The "restricted" Pod Security Standard (kubernetes.io/docs/concepts/security/pod-security-standards): not root,
 * the runtime's default seccomp profile. uid 1000 is the `node` user the Dockerfile switches to; fsGroup makes the
 * emptyDir volumes writable by it.
 */
export function restrictedPod(uid: number): IPodSecurityContext {
  return { runAsNonRoot: true, runAsUser: uid, runAsGroup: uid, fsGroup: uid, seccompProfile: { type: 'RuntimeDefault' } };
}

/** Per container: no privilege escalation, no capabilities, a read-only root filesystem (writes go to emptyDirs). */
export function restrictedContainer(uid?: number): ISecurityContext {
  return {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
    ...(uid === undefined ? {} : { runAsUser: uid, runAsGroup: uid }),
  };
}
