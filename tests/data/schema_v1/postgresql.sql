CREATE TABLE asked (
	id BIGSERIAL NOT NULL, 
	question_id VARCHAR(80) NOT NULL, 
	question TEXT NOT NULL, 
	kind VARCHAR(10) NOT NULL, 
	platform VARCHAR(20) NOT NULL, 
	server VARCHAR(64) NOT NULL, 
	channel VARCHAR(64) NOT NULL, 
	ask_scope VARCHAR(200) NOT NULL, 
	player_key VARCHAR(100), 
	zone VARCHAR(64) NOT NULL, 
	asked_at TIMESTAMP WITH TIME ZONE NOT NULL, 
	closed_at TIMESTAMP WITH TIME ZONE, 
	message_ref VARCHAR(100), 
	daily_seq INTEGER, 
	reveal_at_close BOOLEAN NOT NULL, 
	PRIMARY KEY (id)
);
CREATE INDEX ix_asked_scope_question ON asked (ask_scope, question_id);
CREATE TABLE daily_streaks (
	scope VARCHAR(200) NOT NULL, 
	player_key VARCHAR(100) NOT NULL, 
	current INTEGER NOT NULL, 
	best INTEGER NOT NULL, 
	last_seq INTEGER NOT NULL, 
	PRIMARY KEY (scope, player_key)
);
CREATE TABLE quizbot_meta (
	key VARCHAR(50) NOT NULL, 
	value VARCHAR(200) NOT NULL, 
	PRIMARY KEY (key)
);
CREATE TABLE schedules (
	platform VARCHAR(20) NOT NULL, 
	server VARCHAR(64) NOT NULL, 
	channel VARCHAR(64) NOT NULL, 
	time VARCHAR(5) NOT NULL, 
	timezone VARCHAR(64) NOT NULL, 
	weekdays VARCHAR(20) NOT NULL, 
	reveal_at_close BOOLEAN NOT NULL, 
	updated_at TIMESTAMP WITH TIME ZONE NOT NULL, 
	PRIMARY KEY (platform, server, channel)
);
CREATE TABLE scores (
	scope VARCHAR(200) NOT NULL, 
	period VARCHAR(16) NOT NULL, 
	player_key VARCHAR(100) NOT NULL, 
	name VARCHAR(100) NOT NULL, 
	points INTEGER NOT NULL, 
	answered INTEGER NOT NULL, 
	correct INTEGER NOT NULL, 
	streak INTEGER NOT NULL, 
	best_streak INTEGER NOT NULL, 
	PRIMARY KEY (scope, period, player_key)
);
CREATE INDEX ix_scores_rank ON scores (scope, period, points, player_key);
CREATE TABLE answers (
	id BIGSERIAL NOT NULL, 
	asked_id BIGINT NOT NULL, 
	player_key VARCHAR(100) NOT NULL, 
	player_name VARCHAR(100) NOT NULL, 
	response VARCHAR(300) NOT NULL, 
	correct BOOLEAN NOT NULL, 
	points INTEGER NOT NULL, 
	answered_at TIMESTAMP WITH TIME ZONE NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_answers_one_per_player UNIQUE (asked_id, player_key), 
	FOREIGN KEY(asked_id) REFERENCES asked (id) ON DELETE CASCADE
);
CREATE TABLE daily_posts (
	platform VARCHAR(20) NOT NULL, 
	server VARCHAR(64) NOT NULL, 
	channel VARCHAR(64) NOT NULL, 
	local_date VARCHAR(10) NOT NULL, 
	seq INTEGER NOT NULL, 
	asked_id BIGINT, 
	message_ref VARCHAR(100), 
	claimed_at TIMESTAMP WITH TIME ZONE NOT NULL, 
	posted_at TIMESTAMP WITH TIME ZONE, 
	closed_at TIMESTAMP WITH TIME ZONE, 
	PRIMARY KEY (platform, server, channel, local_date), 
	CONSTRAINT uq_daily_posts_seq UNIQUE (platform, server, channel, seq), 
	FOREIGN KEY(asked_id) REFERENCES asked (id) ON DELETE SET NULL
);
CREATE INDEX ix_daily_posts_open ON daily_posts (platform, server, channel, closed_at);
INSERT INTO quizbot_meta (key, value) VALUES ('schema_version', '1');
