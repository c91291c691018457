/** Azure public regions, in ARM's normalized form. */
export const AZURE_LOCATIONS = [
  'eastus',
  'eastus2',
  'southcentralus',
  'westus2',
  'westus3',
  'australiaeast',
  'southeastasia',
  'northeurope',
  'swedencentral',
  'uksouth',
  'westeurope',
  'centralus',
  'southafricanorth',
  'centralindia',
  'eastasia',
  'japaneast',
  'koreacentral',
  'canadacentral',
  'francecentral',
  'germanywestcentral',
  'italynorth',
  'norwayeast',
  'polandcentral',
  'spaincentral',
  'switzerlandnorth',
  'mexicocentral',
  'uaenorth',
  'brazilsouth',
  'israelcentral',
  'qatarcentral',
  'northcentralus',
  'westus',
  'japanwest',
  'centraluseuap',
  'eastus2euap',
  'westcentralus',
  'southindia',
  'westindia',
  'canadaeast',
  'ukwest',
  'koreasouth',
  'australiasoutheast',
  'australiacentral',
  'francesouth',
  'germanynorth',
  'norwaywest',
  'switzerlandwest',
  'uaecentral',
  'brazilsoutheast',
  'southafricawest',
  'newzealandnorth',
] as const;

const KNOWN = new Set<string>(AZURE_LOCATIONS);

/** ARM accepts display names ('West Europe') and stores the normalized name ('westeurope'). */
export function normalizeLocation(location: string): string {
  return location.replace(/\s+/g, '').toLowerCase();
}

export function isKnownLocation(normalized: string): boolean {
  return KNOWN.has(normalized);
}
