ALTER TABLE `agents` ADD `merge_when_shipped` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `runs` ADD `branch_state` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `branch_commits` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `runs` ADD `branch_uncommitted` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `runs` ADD `merge_refusal` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `artifact_name` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `artifact_version` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `artifact_url` text;--> statement-breakpoint
-- Cards of runs shipped before: their artifact's name, version and link, from `artifacts`.
UPDATE `runs` SET
	`artifact_name` = (SELECT a.`name` FROM `artifacts` a WHERE a.`run_id` = `runs`.`id`),
	`artifact_version` = (SELECT a.`version` FROM `artifacts` a WHERE a.`run_id` = `runs`.`id`),
	`artifact_url` = (SELECT a.`url` FROM `artifacts` a WHERE a.`run_id` = `runs`.`id`)
WHERE `state` = 'shipped';
--> statement-breakpoint
-- Runs reviewed before branch states were kept: their branch's latest merge or discard, from the log.
UPDATE `runs` SET `branch_state` = (
	SELECT CASE e.`type` WHEN 'run.merged' THEN 'merged' ELSE 'discarded' END
	FROM `events` e
	WHERE e.`type` IN ('run.merged', 'run.discarded')
		AND e.`ts` >= `runs`.`created_at`
		AND e.`subject` IN (
			SELECT r.`id` FROM `runs` r
			WHERE r.`id` = `runs`.`id` OR (`runs`.`branch` IS NOT NULL AND r.`branch` = `runs`.`branch`)
		)
	ORDER BY e.`seq` DESC LIMIT 1
);
--> statement-breakpoint
-- The run-branches reactor starts at the log's end: runs that ended before it are not checked
-- again (that would be git once per old run at the first start, under the write lock).
INSERT INTO `reactor_cursors` (`reactor`, `seq`, `updated_at`)
SELECT 'run-branches', max(`seq`), 0 FROM `events` HAVING count(*) > 0;
