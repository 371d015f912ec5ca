-- CreateTable
CREATE TABLE "occupancy_hourly" (
    "facility_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "occupied_seconds" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "occupancy_hourly_pkey" PRIMARY KEY ("facility_id","kind","hour")
);

-- CreateTable
CREATE TABLE "nlu_hourly" (
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "turns" INTEGER NOT NULL,
    "fallbacks" INTEGER NOT NULL,

    CONSTRAINT "nlu_hourly_pkey" PRIMARY KEY ("hour")
);

-- CreateTable
CREATE TABLE "maintenance_state" (
    "job" TEXT NOT NULL,
    "done_until" TIMESTAMPTZ(3),
    "seen_id" BIGINT,

    CONSTRAINT "maintenance_state_pkey" PRIMARY KEY ("job")
);

-- CreateIndex
CREATE INDEX "occupancy_hourly_hour_idx" ON "occupancy_hourly"("hour");

-- The periodic jobs' rows, claimed with FOR UPDATE SKIP LOCKED (hand-written).
INSERT INTO "maintenance_state" ("job") VALUES ('occupancy-rollup'), ('retention');
