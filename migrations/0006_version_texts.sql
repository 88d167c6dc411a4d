CREATE TABLE "document_version_texts" (
	"version_id" uuid NOT NULL,
	"part" integer NOT NULL,
	"text" text NOT NULL,
	CONSTRAINT "document_version_texts_version_id_part_pk" PRIMARY KEY("version_id","part")
);
--> statement-breakpoint
ALTER TABLE "document_version_texts" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "document_version_texts" ADD CONSTRAINT "document_version_texts_version_id_document_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."document_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Existing texts move into parts of 65,536 characters (code points: a part never ends inside a character).
INSERT INTO "document_version_texts" ("version_id", "part", "text")
	SELECT v."id", p.n, substr(v."text", p.n * 65536 + 1, 65536)
	FROM "document_versions" v, generate_series(0, ceil(length(v."text") / 65536.0)::int - 1) AS p(n);--> statement-breakpoint
ALTER TABLE "document_versions" DROP COLUMN "text";