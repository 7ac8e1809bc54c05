import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseNetworkDevices } from '../../app/src/procfs/networkIo.ts';

const PROC_NET_DEV = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo: 1610543328 1584215    0    0    0     0          0         0 1610543328 1584215    0    0    0     0       0          0
  eth0:  9876543   12345    3    7    0     0          0        12   456789    2345    1    2    0     0       0          0
`;

test('/proc/net/dev gives bytes, errors and drops per interface and direction', () => {
  assert.deepEqual(parseNetworkDevices(PROC_NET_DEV), [
    { device: 'lo', bytes: { receive: 1610543328, transmit: 1610543328 }, errors: { receive: 0, transmit: 0 }, dropped: { receive: 0, transmit: 0 } },
    { device: 'eth0', bytes: { receive: 9876543, transmit: 456789 }, errors: { receive: 3, transmit: 1 }, dropped: { receive: 7, transmit: 2 } },
  ]);
});

test('header lines and truncated rows are skipped', () => {
  assert.deepEqual(parseNetworkDevices('Inter-|   Receive\n face |bytes\n  eth1: 1 2 3\n'), []);
});
