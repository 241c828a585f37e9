// Must not compile: the summary has no such field. TypeScriptClientTest expects tsc to refuse this file and nothing
// else, which shows that the check reads the generated types instead of passing whatever code it is given.
import type { Ok } from "../answers";

export function misread(summary: Ok<"/api/v1/campaigns/{campaignId}/summary">): unknown {
    return summary.nonexistent;
}
