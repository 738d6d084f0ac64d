import { describe, expect, it } from 'vitest';
import { classifyIpvsError } from './ipvs';

describe('classifyIpvsError', () => {
  it.each([
    [
      "Can't initialize ipvs: Protocol not available\nAre you sure that IP Virtual Server is built in the kernel or as module?\n",
      'ipvs-not-available',
    ],
    ["Can't initialize ipvs: Permission denied (you must be root)\n", 'permission-denied'],
    ['bash: ipvsadm: command not found', 'command-not-found'],
    ['Operation not permitted', 'permission-denied'],
    ['Memory allocation problem', 'unknown'],
  ])('%j → %s', (stderr, kind) => {
    expect(classifyIpvsError(stderr).kind).toBe(kind);
  });

  it('keeps unknown text in the message instead of swallowing it', () => {
    expect(classifyIpvsError('weird failure 42\nsecond line').message).toBe('ipvsadm failed: weird failure 42');
  });
});
