"""Importers: Red-DiscordBot trivia lists, Open Trivia DB dumps and CSV spreadsheets into question files."""
