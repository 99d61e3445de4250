ALTER TABLE `runs` ADD `supervisor_identity` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `child_identity` text;