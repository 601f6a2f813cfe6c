-- Magazine-style articles: a caption under the hero image, and the people the story is about.
ALTER TABLE articles ADD COLUMN hero_caption TEXT;
ALTER TABLE articles ADD COLUMN interviewees TEXT;
