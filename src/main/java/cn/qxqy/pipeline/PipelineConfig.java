package cn.qxqy.pipeline;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * The service's own settings, {@code pipeline.*}, one group per concern; each class is given this mapping and reads
 * its group. The mapping owns the prefix whole: a {@code pipeline.} name it does not know (a typo) fails the start
 * instead of being ignored.
 */
@ConfigMapping(prefix = "pipeline")
public interface PipelineConfig {

    Health health();

    Check check();

    Rebuild rebuild();

    Outbox outbox();

    Read read();

    Ingest ingest();

    Append append();

    Reference reference();

    Security security();

    Dashboard dashboard();

    Http http();

    Recovery recovery();

    Backpressure backpressure();

    /**
     * Departments known by name rather than by a token: the local accounts and the senders of the Kafka intake
     * topics ({@code project-intake.<department>}). A token's department carries its regions in the token.
     */
    java.util.Map<String, Department> departments();

    /** The health of the dependencies every replica shares ({@code ops.DependencySampler}). */
    interface Health {

        /**
         * How often this pod samples the lags and whether PostgreSQL and Kafka answer: about a Prometheus scrape, as
         * the per-project lag reads both tables whole.
         */
        @WithDefault("PT15S")
        Duration sampleInterval();

        /**
         * The projector-lag check of the dependencies group is DOWN when the read models are more than this many
         * events behind the event store; readiness does not depend on it.
         */
        @WithDefault("10000")
        long maxProjectorLag();
    }

    /** The consistency check of the read models against the event store. */
    interface Check {

        /** How often the check runs, on whichever replica claims it first. */
        @WithDefault("PT1H")
        Duration interval();
    }

    /** Rebuild of the read models from the event store. */
    interface Rebuild {

        /** Consecutive projectIds replayed as one page, read by one range scan of the events' index. */
        @WithDefault("1000")
        int pageSize();

        /** Pages replayed at once, and indexes of the new view table built at once. */
        @WithDefault("3")
        int workers();
    }

    /** The relay from the outbox to Kafka. */
    interface Outbox {

        /** The most events one claim publishes. */
        @WithDefault("2000")
        int batchSize();

        /** How often the relay looks for the appends of other replicas; one on this replica wakes it at once. */
        @WithDefault("PT1S")
        Duration pollInterval();

        /** How long the relay waits for Kafka's acks of a claimed batch before it gives up and claims it again. */
        @WithDefault("PT30S")
        Duration publishTimeout();

        /** How long a drain waits after the append that wakes it, so that the appends committed meanwhile join it. */
        @WithDefault("PT0.002S")
        Duration linger();
    }

    /** Reads. */
    interface Read {

        /** How long a read with {@code waitFor} waits for the read models before it answers 503 with Retry-After. */
        @WithDefault("PT5S")
        Duration maxWait();

        /**
         * How old a {@code knownAt} must be for its answer to be settled: no append that started before it can still
         * commit, so the answer never changes and is cached for good.
         */
        @WithDefault("PT1M")
        Duration settledAfter();

        /**
         * How long a read with {@code knownAt} waits for the replay of the store running on this pod (one at a time:
         * it holds a connection for seconds) before it answers 503 with Retry-After.
         */
        @WithDefault("PT2S")
        Duration replayWait();

        /**
         * The dated figure rows the replays of settled instants kept in memory may hold together, the least recently
         * used given up first. The benchmark's store (100,000 projects, a million events) replays into about 4,700
         * rows, well under 15 MB of heap (KnownAtReplayBenchmark): this keeps about ten such.
         */
        @WithDefault("50000")
        long replayRowsKept();

        /**
         * The rows (breakdown items, projects of a page, months, …; a summary is one) the answers kept for the read
         * models' current generation may hold together ({@code query.GenerationCache}), about 1 KB of heap each.
         */
        @WithDefault("10000")
        long answerRowsKept();
    }

    /** The REST intake. */
    interface Ingest {

        /** The largest event a single POST takes, in bytes of UTF-8; a larger one is refused with 413. */
        @WithDefault("65536")
        int maxEventBytes();

        /** The most events a batch POST takes; a larger batch is refused with 413. */
        @WithDefault("1000")
        int maxBatchItems();

        /**
         * Events per second one department may post to one pod, single or batched; more are refused with 429 and
         * Retry-After. Per pod: with n replicas behind the Service a department gets about n times this.
         */
        @WithDefault("2000")
        int eventsPerDepartmentPerSecond();
    }

    /** Group commit of appends ({@code command.GroupCommit}). */
    interface Append {

        /** Transactions in flight at once on this replica; a project always goes to the same lane. */
        @WithDefault("4")
        int lanes();

        /** The most events one transaction takes. */
        @WithDefault("500")
        int maxGroup();
    }

    /** Reference codes (campaigns, regions, chains, categories, zones). */
    interface Reference {

        /**
         * How long a replica keeps the reference codes it read. Set in application.properties, where it is the
         * expiry of the {@code reference-data} cache; quarkus-cache reads it from there, not from here.
         */
        Duration ttl();
    }

    /** Who a bearer token speaks for. */
    interface Security {

        /** The claim naming the token's department (by default the OAuth client, {@code azp}). */
        @WithDefault("azp")
        String departmentClaim();

        /**
         * The claim listing the region codes (GB/T 2260) a department may write for, a JSON list of codes of the
         * reference data's regions; 141100 holds all of 吕梁.
         */
        @WithDefault("regions")
        String regionsClaim();

        /** The longest a bearer token may live, from its {@code iat} to its {@code exp}. */
        @WithDefault("PT2H")
        Duration maxTokenLifetime();
    }

    /** A department known by name. */
    interface Department {

        /** Its name as people read it (报送单位, e.g. 兴县发展和改革局): histories show it instead of the id. */
        java.util.Optional<String> nameZh();

        /** Its English name. */
        java.util.Optional<String> nameEn();

        /** The county codes it may write for (a city or province code holds all of its counties). */
        java.util.Optional<java.util.List<String>> regions();

        /** Events per second it may post to one pod, if not {@code pipeline.ingest.events-per-department-per-second}. */
        java.util.OptionalInt eventsPerSecond();
    }

    /** The dashboard served at {@code /}. */
    interface Dashboard {

        /** Its public OAuth client at the issuer (authorization code with PKCE, redirect URI {@code https://<host>/}). */
        @WithDefault("qxqy-dashboard")
        String clientId();
    }

    /** What request bodies may cost ({@code problem.BodyLimit}). */
    interface Http {

        /**
         * Bytes of request bodies this replica holds at once, counted from authentication to the answer (a body sent
         * without a length counts its route's whole limit); a request beyond it is answered 503 with Retry-After.
         * Two bodies of max-body-size fit, or hundreds of ordinary batches.
         */
        @WithDefault("16777216")
        long maxBodiesInFlight();

        /** How long a body sent without a declared length may take to arrive; then 408. */
        @WithDefault("PT30S")
        Duration bodyTimeout();
    }

    /** Restores of the store and republishes of the topic ({@code recovery}). */
    interface Recovery {

        /**
         * How often each replica compares the last records of project-events with the store, to notice a restore:
         * a few indexed lookups and one read per partition.
         */
        @WithDefault("PT15S")
        Duration checkInterval();

        /** Events per second a republish sends to project-events, so that consumers and the broker keep up. */
        @WithDefault("2000")
        int republishRate();
    }

    /** Backpressure on ingest while the projector is behind ({@code projection.ProjectorBacklog}, issue 27). */
    interface Backpressure {

        /**
         * Events committed but not yet projected (the outbox's rows and the projector group's lag on project-events)
         * beyond which every append is refused with 503 projector-behind and Retry-After: about a second of the
         * projector's work, so that the read models are never more than a few seconds behind what was acknowledged.
         */
        @WithDefault("5000")
        long maxBacklog();

        /** How often each replica samples that backlog: a count of the outbox's rows and two requests to Kafka. */
        @WithDefault("PT0.2S")
        Duration sampleInterval();
    }
}
