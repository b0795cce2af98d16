import { App, Stack } from 'aws-cdk-lib';
import { checkRegion, checkRegionPartition, partitionMismatch, partitionOf } from '../../src/private/partition';

describe('partitions and regions', () => {
  test('the one cross-partition check', () => {
    expect(partitionMismatch('aws-cn', 'aws', 'the hub role is in')).toBe("is in the partition 'aws-cn', but the hub role is in 'aws'");
    expect(partitionMismatch('aws', 'aws', 'the hub role is in')).toBeUndefined();
    expect(partitionMismatch(undefined, 'aws', 'the hub role is in')).toBeUndefined();
  });

  test('a stack\'s partition follows its region', () => {
    expect(partitionOf(new Stack(new App(), 'S', { env: { region: 'cn-north-1' } }))).toBe('aws-cn');
  });

  test('regions: the contract\'s region code, and the hub\'s partition', () => {
    expect(() => checkRegion('regions[0]', 'virginia')).toThrow(/regions\[0\]: 'virginia' is not an AWS region code/);
    expect(() => checkRegionPartition('regions[0]', 'us-gov-west-1', 'aws')).toThrow(/the region 'us-gov-west-1' is in the partition 'aws-us-gov', but the hub role is in 'aws'/);
    expect(() => checkRegionPartition('regions[0]', 'us-west-2', 'aws')).not.toThrow();
  });
});
