import { describe, expect, it } from 'vitest';
import {
  allocateIp,
  defaultGateway,
  parseSubnet,
  pickFreeSubnet,
} from '../../src/engine/runtime/native/ipam.js';

describe('bridge address management', () => {
  it.each([
    ['10.0.0.0/24', '10.0.0.1'],
    ['10.0.0.77/24', '10.0.0.1'],
    ['172.30.0.0/16', '172.30.0.1'],
  ])('puts the default gateway of %s at %s', (cidr, gateway) => {
    expect(defaultGateway(parseSubnet(cidr))).toBe(gateway);
  });

  it.each(['10.0.0.0', '10.0.0.0/31', '10.0.0.0/4', '300.0.0.0/24', 'banana/24'])(
    'refuses %s as a subnet',
    (cidr) => {
      expect(() => parseSubnet(cidr)).toThrow(/not an IPv4 CIDR/);
    },
  );

  it.each([
    { taken: [], requested: null, expected: '10.0.0.2' },
    { taken: ['10.0.0.2', '10.0.0.3'], requested: null, expected: '10.0.0.4' },
    { taken: ['10.0.0.3'], requested: null, expected: '10.0.0.2' },
    { taken: ['10.0.0.2'], requested: '10.0.0.10', expected: '10.0.0.10' },
  ])(
    'gives $expected when $taken are taken and $requested is asked for',
    ({ taken, requested, expected }) => {
      expect(allocateIp('10.0.0.0/24', '10.0.0.1', taken, requested)).toBe(expected);
    },
  );

  it.each([
    ['10.0.0.1', /already used/],
    ['10.0.0.0', /not a host address/],
    ['10.0.0.255', /not a host address/],
    ['10.0.1.5', /not a host address/],
    ['10.0.0.2', /already used/],
  ])('refuses the requested address %s', (requested, message) => {
    expect(() => allocateIp('10.0.0.0/24', '10.0.0.1', ['10.0.0.2'], requested)).toThrow(message);
  });

  it('says the network is full when every host address is taken', () => {
    expect(() => allocateIp('10.0.0.0/30', '10.0.0.1', ['10.0.0.2'], null)).toThrow(/no free address/);
  });

  it.each([
    { used: [], expected: '10.201.0.0/24' },
    { used: ['10.201.0.0/24', '10.201.1.0/24'], expected: '10.201.2.0/24' },
    { used: ['10.201.0.0/16'], expected: '10.202.0.0/24' },
    { used: ['10.201.0.5', 'default', 'fe80::/64'], expected: '10.201.1.0/24' },
    { used: ['10.0.0.0/8'], expected: null },
  ])('picks $expected as a free subnet when $used are in use', ({ used, expected }) => {
    if (expected === null) expect(() => pickFreeSubnet(used)).toThrow(/no free \/24/);
    else expect(pickFreeSubnet(used)).toBe(expected);
  });
});
