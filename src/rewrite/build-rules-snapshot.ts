/**
 * The build's last step (`npm run build`): parse rules/*.rules once and store the result as
 * dist/rules-snapshot.json, which loadRulebook() uses at start-up while its fingerprint matches.
 */
import { writeRulesSnapshot } from './load-rules.js';

const written = writeRulesSnapshot();
if (written.ok) {
  process.stdout.write(`rules snapshot: ${written.value}\n`);
} else {
  // Not fatal for the build: loadRulebook() parses the files and reports the same problems.
  process.stderr.write(`rules snapshot not written: ${written.diagnostics.map((d) => d.message).join('; ')}\n`);
}
