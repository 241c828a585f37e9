// What a dashboard reads from the API, written as a frontend developer would against the client openapi-typescript
// generates from /q/openapi. TypeScriptClientTest runs tsc on it: it compiles only while every field read here is in
// the schema with the type it is used as. Fields are optional in the generated types (no field is marked required).
import type { components } from "pipeline-api";
import type { Ok } from "./answers";

type Summary = Ok<"/api/v1/campaigns/{campaignId}/summary">;
type Breakdown = Ok<"/api/v1/campaigns/{campaignId}/breakdown">;
type Progress = Ok<"/api/v1/campaigns/{campaignId}/progress">;
type Project = Ok<"/api/v1/projects/{projectId}">;
type ProjectPage = Ok<"/api/v1/projects">;
type Campaigns = Ok<"/api/v1/campaigns">;
type History = Ok<"/api/v1/projects/{projectId}/events">;
type HistoryEntry = components["schemas"]["HistoryEntry"];
type SignedData = components["schemas"]["ProjectSignedData"];

export function summaryLine(summary: Summary): string {
    const projects: number = summary.projects ?? 0;
    const planned: number = summary.plannedInvestment ?? 0;
    const signed: number = summary.stages?.SIGNED?.reached ?? 0;
    const signedNow: number = summary.stages?.SIGNED?.current ?? 0;
    return `${summary.campaignId}: ${projects} projects, ${planned} 万元 planned, ${signed} signed (${signedNow} still at it)`;
}

export function breakdownRows(breakdown: Breakdown): { key: string; name: string; projects: number; planned: number }[] {
    return (breakdown.items ?? []).map(item => ({
        key: item.key ?? "",
        name: item.nameEn ?? item.name ?? "",
        projects: item.projects ?? 0,
        planned: item.plannedInvestment ?? 0,
    }));
}

export function progressBars(progress: Progress): string[] {
    const targets = (progress.targets ?? []).map(target =>
        `${target.nameEn}: ${target.actual ?? 0} of ${target.target ?? 0} ${target.unit ?? ""} (${target.percentage ?? 0}%)`);
    const rates = (progress.rates ?? []).map(rate =>
        `${rate.nameEn}: ${rate.numerator?.value ?? 0} / ${rate.denominator?.value ?? 0} = ${rate.percentage ?? "-"}%`);
    return [...targets, ...rates];
}

export function projectCard(project: Project): string {
    const stage: string | undefined = project.stage;
    const planned: number | undefined = project.plannedInvestment;
    const categories: string[] = project.categories ?? [];
    const signedOn: string | null | undefined = project.signedOn;
    const period: string | null | undefined = project.reportedPeriod;
    return `${project.projectId} v${project.version} ${project.name} (${stage}, ${categories.join("/")}): `
        + `${planned} 万元 planned, signed ${signedOn ?? "not yet"}, reported ${period ?? "never"}`;
}

export function nextPage(page: ProjectPage): { shown: number; total: number; cursor: string | null } {
    return { shown: (page.items ?? []).length, total: page.total ?? 0, cursor: page.next ?? null };
}

export function campaignIds(campaigns: Campaigns): string[] {
    return campaigns.map(campaign => campaign.campaignId ?? "");
}

export function historyLines(history: History): string[] {
    return history.map(entry => {
        const type: string | undefined = entry.type;
        const version: number | undefined = entry.version;
        const occurredOn: string | undefined = entry.occurredOn;
        const data: unknown = entry.data;
        return `v${version} ${type} on ${occurredOn}: ${JSON.stringify(data)}`;
    });
}

export function signedInvestment(entry: HistoryEntry): number | undefined {
    // The entry's type names its data's shape; the schema also takes an amount as text, as a sender may post it.
    const amount = entry.type === "ProjectSigned" ? (entry.data as SignedData).signedInvestment : undefined;
    return amount === undefined ? undefined : Number(amount);
}

// The fields the service answers null are typed so: each line compiles only while its field may be null, so that a
// frontend cannot forget the case.
type MayBeNull<T> = null extends T ? true : never;
type ProjectionStatus = components["schemas"]["ProjectionStatus"];
type BatchItem = components["schemas"]["BatchItem"];
export const nullable: [
    MayBeNull<Project["signedOn"]>,
    MayBeNull<Project["withdrawnOn"]>,
    MayBeNull<Project["signedInvestment"]>,
    MayBeNull<Project["zone"]>,
    MayBeNull<NonNullable<Progress["targets"]>[number]["reachedStage"]>,
    MayBeNull<NonNullable<Progress["rates"]>[number]["percentage"]>,
    MayBeNull<ProjectionStatus["eventsPerSecond"]>,
    MayBeNull<BatchItem["problem"]>,
] = [true, true, true, true, true, true, true, true];
