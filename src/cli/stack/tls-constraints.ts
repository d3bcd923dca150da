// The local CA's X.509 Name Constraints (RFC 5280 §4.2.1.10): it may sign only the stack's domain and
// its subdomains and no IP address, so a leaked ca.key cannot impersonate other sites to a machine that trusts it.
import { AsnConvert } from '@peculiar/asn1-schema';
import { GeneralName, GeneralSubtree, GeneralSubtrees, id_ce_nameConstraints, NameConstraints } from '@peculiar/asn1-x509';
import * as x509 from '@peculiar/x509';

/** Every IPv4 and IPv6 address (address/mask), excluded: the leaf names hosts only. */
const ALL_IPS = ['0.0.0.0/0', '::/0'] as const;

/**
 * Critical, as RFC 5280 asks of a CA's name constraints.
 * Example: 'pesquel.localhost' → permitted DNS:pesquel.localhost (also api.pesquel.localhost…),
 * excluded IP:0.0.0.0/0 and IP:::/0.
 */
export function nameConstraintsExtension(domain: string): x509.Extension {
  const subtrees = (names: GeneralName[]) => new GeneralSubtrees(names.map((base) => new GeneralSubtree({ base })));
  const value = new NameConstraints({
    permittedSubtrees: subtrees([new GeneralName({ dNSName: domain })]),
    excludedSubtrees: subtrees(ALL_IPS.map((iPAddress) => new GeneralName({ iPAddress }))),
  });
  return new x509.Extension(id_ce_nameConstraints, true, AsnConvert.serialize(value));
}

/** The permitted DNS names of a CA certificate, or undefined when it has no name constraints (made before they were added). */
export function permittedDnsNames(caDer: Uint8Array): string[] | undefined {
  const ext = new x509.X509Certificate(caDer).getExtension(id_ce_nameConstraints);
  if (ext === null) return undefined;
  const nc = AsnConvert.parse(ext.value, NameConstraints);
  return [...(nc.permittedSubtrees ?? [])].flatMap((s) => (s.base.dNSName === undefined ? [] : [s.base.dNSName]));
}

/** RFC 5280 matching: a constraint covers the name itself and every name under it. */
export function coversDomain(permitted: readonly string[], domain: string): boolean {
  return permitted.some((p) => domain === p || domain.endsWith(`.${p}`));
}
