CREATE TABLE `usage_buckets` (
	`agent` text NOT NULL,
	`bucket` integer NOT NULL,
	`tokens` integer DEFAULT 0 NOT NULL,
	`cost_micros` integer DEFAULT 0 NOT NULL,
	`turns` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`agent`, `bucket`)
);
--> statement-breakpoint
-- Kept in step with `usage` by the database itself, whoever writes it (a supervisor, an import).
CREATE TRIGGER `usage_buckets_insert` AFTER INSERT ON `usage`
BEGIN
	INSERT INTO `usage_buckets` (`agent`, `bucket`, `tokens`, `cost_micros`, `turns`)
	VALUES (NEW.`agent`, CAST(NEW.`ts` AS INTEGER) / 300000,
		NEW.`input_tokens` + NEW.`output_tokens` + NEW.`cache_write_tokens`, NEW.`cost_micros`, NEW.`turns`)
	ON CONFLICT (`agent`, `bucket`) DO UPDATE SET
		`tokens` = `tokens` + excluded.`tokens`,
		`cost_micros` = `cost_micros` + excluded.`cost_micros`,
		`turns` = `turns` + excluded.`turns`;
END;
--> statement-breakpoint
CREATE TRIGGER `usage_buckets_update` AFTER UPDATE ON `usage`
BEGIN
	UPDATE `usage_buckets` SET
		`tokens` = `tokens` - (OLD.`input_tokens` + OLD.`output_tokens` + OLD.`cache_write_tokens`),
		`cost_micros` = `cost_micros` - OLD.`cost_micros`,
		`turns` = `turns` - OLD.`turns`
	WHERE `agent` = OLD.`agent` AND `bucket` = CAST(OLD.`ts` AS INTEGER) / 300000;
	INSERT INTO `usage_buckets` (`agent`, `bucket`, `tokens`, `cost_micros`, `turns`)
	VALUES (NEW.`agent`, CAST(NEW.`ts` AS INTEGER) / 300000,
		NEW.`input_tokens` + NEW.`output_tokens` + NEW.`cache_write_tokens`, NEW.`cost_micros`, NEW.`turns`)
	ON CONFLICT (`agent`, `bucket`) DO UPDATE SET
		`tokens` = `tokens` + excluded.`tokens`,
		`cost_micros` = `cost_micros` + excluded.`cost_micros`,
		`turns` = `turns` + excluded.`turns`;
END;
--> statement-breakpoint
CREATE TRIGGER `usage_buckets_delete` AFTER DELETE ON `usage`
BEGIN
	UPDATE `usage_buckets` SET
		`tokens` = `tokens` - (OLD.`input_tokens` + OLD.`output_tokens` + OLD.`cache_write_tokens`),
		`cost_micros` = `cost_micros` - OLD.`cost_micros`,
		`turns` = `turns` - OLD.`turns`
	WHERE `agent` = OLD.`agent` AND `bucket` = CAST(OLD.`ts` AS INTEGER) / 300000;
END;
--> statement-breakpoint
INSERT INTO `usage_buckets` (`agent`, `bucket`, `tokens`, `cost_micros`, `turns`)
SELECT `agent`, CAST(`ts` AS INTEGER) / 300000, sum(`input_tokens` + `output_tokens` + `cache_write_tokens`),
	sum(`cost_micros`), sum(`turns`)
FROM `usage` GROUP BY `agent`, CAST(`ts` AS INTEGER) / 300000;
