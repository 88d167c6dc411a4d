ALTER TABLE "qa_pairs" ADD COLUMN "source_key" text;--> statement-breakpoint
ALTER TABLE "qa_pairs" ADD COLUMN "source_label" text;--> statement-breakpoint
ALTER TABLE "qa_pairs" ADD COLUMN "citations" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "qa_pairs" ADD COLUMN "transcript" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "qa_pairs" ADD COLUMN "generator" text;--> statement-breakpoint
ALTER TABLE "qa_pairs" ADD COLUMN "quality" real;--> statement-breakpoint
ALTER TABLE "qa_pairs" ADD COLUMN "reviewed_by" text;--> statement-breakpoint
ALTER TABLE "qa_pairs" ADD COLUMN "reviewed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "finetune_jobs" ADD COLUMN "training_examples" integer;--> statement-breakpoint
ALTER TABLE "finetune_jobs" ADD COLUMN "validation_examples" integer;--> statement-breakpoint
ALTER TABLE "finetune_jobs" ADD COLUMN "estimated_tokens" integer;--> statement-breakpoint
ALTER TABLE "finetune_jobs" ADD COLUMN "estimated_cost_usd" real;--> statement-breakpoint
ALTER TABLE "finetune_jobs" ADD COLUMN "trained_tokens" integer;--> statement-breakpoint
ALTER TABLE "finetune_jobs" ADD COLUMN "events" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "finetune_jobs" ADD COLUMN "error" text;--> statement-breakpoint
ALTER TABLE "finetune_jobs" ADD COLUMN "started_by" text;--> statement-breakpoint
ALTER TABLE "finetune_jobs" ADD COLUMN "finished_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "finetune_jobs" ADD COLUMN "promoted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "finetune_jobs" ADD COLUMN "last_polled_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "qa_pairs_source_key_idx" ON "qa_pairs" USING btree ("source_key");