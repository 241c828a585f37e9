// The body of an operation's 200 answer, as openapi-typescript generates it from /q/openapi; never when the operation
// or its JSON answer is missing, and a field read from never does not compile.
import type { paths } from "pipeline-api";

export type Ok<Path extends keyof paths, Method extends keyof paths[Path] = "get" & keyof paths[Path]> =
    paths[Path][Method] extends { responses: { 200: { content: { "application/json": infer Body } } } } ? Body : never;
