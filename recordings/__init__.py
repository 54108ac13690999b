"""Spoken answers: audio capture and import, offline Whisper transcription, delivery analysis."""
