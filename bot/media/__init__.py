"""Making media: picture cards (Pillow), voice notes (gTTS or espeak-ng), calendar files
(icalendar), the disk cache that keeps them, and the maker that turns a Draft into a
message with its file. Heavy work here always runs off the event loop."""
