"""A hand-written REFI-QDA project "from another tool", built the way such tools write them.

Everything here is synthetic. The XML is written by hand (not by innostudy's writer);
selection positions are counted the way the exchange format says, in code points of the
plain text with its BOM removed and each CRLF counted once, using ``str.index`` on the
text below, so the test does not lean on innostudy's own offset code.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ALICE = "6c0e8a52-1f0e-4c53-9a0e-1b2c3d4e5f60"
BOB = "{7D1F9B63-2A1F-4D64-8B1F-2C3D4E5F6071}"  # braces and capitals, as some tools write
ORIGINS = "a0000000-0000-4000-8000-000000000001"
IDEAS = "a0000000-0000-4000-8000-000000000002"
FRONT_LINE = "a0000000-0000-4000-8000-000000000003"
CULTURE = "a0000000-0000-4000-8000-000000000004"
COSTS = "a0000000-0000-4000-8000-000000000005"
INTERVIEW = "b0000000-0000-4000-8000-000000000001"
FIELD_NOTES = "b0000000-0000-4000-8000-000000000002"

# The interview as the other tool stored it: a BOM, CRLF line breaks, accents, an emoji
# outside the Basic Multilingual Plane and a phone number that innostudy redacts.
INTERVIEW_TEXT = (
    "Interview with P01, 12 March 2026 (synthetic)\r\n"
    "\r\n"
    "Interviewer: How did the idea start?\r\n"
    "P01: It began in the café 😀 when front-line staff pushed it.\r\n"
    "Then finance got involved.\r\n"
    "\r\n"
    "Interviewer: And the budget?\r\n"
    "P01: Nobody had one. Call me on 020 7946 0958 if you need more.\r\n"
)
FIELD_NOTES_TEXT = "Notes taken after the interview.\n\nThe costs came up twice, both times late."


def positions(text: str, phrase: str, *, end_phrase: str | None = None) -> tuple[int, int]:
    """Where ``phrase`` (or from it through ``end_phrase``) sits, in code points, CRLF = 1."""
    flat = text.replace("\r\n", "\n")
    start = flat.index(phrase)
    last = end_phrase or phrase
    return start, flat.index(last, start) + len(last)


@dataclass
class Foreign:
    """Knobs for the error cases; the defaults give the well-formed project."""

    interview_entry: str | None = "sources/" + INTERVIEW + ".txt"
    code_ref: str = FRONT_LINE
    past_end: bool = False
    extra_entries: dict[str, bytes] = field(default_factory=dict)

    def selection(self, phrase: str, end_phrase: str | None = None) -> str:
        start, end = positions(INTERVIEW_TEXT, phrase, end_phrase=end_phrase)
        return f'startPosition="{start}" endPosition="{end}"'

    def qde(self) -> str:
        last = len(INTERVIEW_TEXT.replace("\r\n", "\n"))
        front_line = self.selection("front-line staff pushed it")
        if self.past_end:  # what a tool that counts CRLF as two would write at the very end
            front_line = f'startPosition="{last - 4}" endPosition="{len(INTERVIEW_TEXT)}"'
        label = positions(INTERVIEW_TEXT, "Interviewer: And")
        label_only = f'startPosition="{label[0]}" endPosition="{label[0] + len("Interviewer")}"'
        notes_start, notes_end = positions(FIELD_NOTES_TEXT, "The costs came up twice")
        return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Synthetic interviews" origin="Another QDA tool 7.1"
         creationDateTime="2026-03-20T09:00:00Z">
  <Users>
    <User guid="{ALICE}" name="Alice"/>
    <User guid="{BOB}" name="Bob"/>
  </Users>
  <CodeBook>
    <Codes>
      <Code guid="{ORIGINS}" name="Origins" isCodable="false" color="#abc">
        <Code guid="{IDEAS}" name="Sources of ideas" isCodable="true" color="#336699">
          <Code guid="{FRONT_LINE}" name="Front line" isCodable="true">
            <Description>Ideas that came from front-line staff.

Include: staff who deliver the service.

Example: The counter staff suggested it.</Description>
            <NoteRef targetGUID="c0000000-0000-4000-8000-000000000001"/>
          </Code>
        </Code>
      </Code>
      <Code guid="{CULTURE}" name="Culture" isCodable="true"/>
      <Code guid="{COSTS}" name="Costs" isCodable="true" color="#D55E00"/>
    </Codes>
  </CodeBook>
  <Variables>
    <Variable guid="d0000000-0000-4000-8000-000000000001" name="Age band" typeOfVariable="Text"/>
    <Variable guid="d0000000-0000-4000-8000-000000000002" name="Years in post" typeOfVariable="Integer"/>
    <Variable guid="d0000000-0000-4000-8000-000000000003" name="Interview date" typeOfVariable="Date"/>
    <Variable guid="d0000000-0000-4000-8000-000000000004" name="Manager" typeOfVariable="Boolean"/>
    <Variable guid="d0000000-0000-4000-8000-000000000005" name="Role" typeOfVariable="Text"/>
    <Variable guid="d0000000-0000-4000-8000-000000000006" name="Region" typeOfVariable="Text"/>
  </Variables>
  <Cases>
    <Case guid="e0000000-0000-4000-8000-000000000001" name="P01">
      <VariableValue><VariableRef targetGUID="d0000000-0000-4000-8000-000000000001"/><TextValue>40-49</TextValue></VariableValue>
      <VariableValue><VariableRef targetGUID="d0000000-0000-4000-8000-000000000002"/><IntegerValue>12</IntegerValue></VariableValue>
      <VariableValue><VariableRef targetGUID="d0000000-0000-4000-8000-000000000003"/><DateValue>2026-03-12</DateValue></VariableValue>
      <VariableValue><VariableRef targetGUID="d0000000-0000-4000-8000-000000000004"/><BooleanValue>1</BooleanValue></VariableValue>
      <VariableValue><VariableRef targetGUID="d0000000-0000-4000-8000-000000000005"/><TextValue>Team leader</TextValue></VariableValue>
      <SourceRef targetGUID="{INTERVIEW}"/>
    </Case>
    <Case guid="e0000000-0000-4000-8000-000000000002" name="P02">
      <Description>Declined a follow-up interview.</Description>
      <VariableValue><VariableRef targetGUID="d0000000-0000-4000-8000-000000000002"/><IntegerValue>ten</IntegerValue></VariableValue>
    </Case>
    <Case guid="e0000000-0000-4000-8000-000000000003">
      <VariableValue><VariableRef targetGUID="d0000000-0000-4000-8000-000000000006"/><TextValue>North</TextValue></VariableValue>
      <SourceRef targetGUID="{INTERVIEW}"/>
    </Case>
  </Cases>
  <Sources>
    <TextSource guid="{INTERVIEW}" name="Interview 1" plainTextPath="internal://{INTERVIEW}.txt"
                richTextPath="internal://{INTERVIEW}.docx" creatingUser="{ALICE}">
      <Description>Recorded in a meeting room.</Description>
      <PlainTextSelection guid="f0000000-0000-4000-8000-000000000001" {front_line} creatingUser="{ALICE}">
        <Coding guid="f1000000-0000-4000-8000-000000000001" creatingUser="{ALICE}"
                creationDateTime="2026-03-15T10:30:00Z">
          <CodeRef targetGUID="{self.code_ref}"/>
          <NoteRef targetGUID="c0000000-0000-4000-8000-000000000002"/>
        </Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="f0000000-0000-4000-8000-000000000002" {self.selection("café 😀 when front-line")} creatingUser="{BOB}">
        <Description>Overlaps Alice's selection.</Description>
        <Coding guid="f1000000-0000-4000-8000-000000000002">
          <CodeRef targetGUID="{CULTURE}"/>
        </Coding>
        <Coding guid="f1000000-0000-4000-8000-000000000003" creatingUser="{BOB}">
          <CodeRef targetGUID="{FRONT_LINE}"/>
        </Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="f0000000-0000-4000-8000-000000000003" {self.selection("finance got", "And the budget")} creatingUser="{ALICE}">
        <Coding guid="f1000000-0000-4000-8000-000000000004" creatingUser="{ALICE}">
          <CodeRef targetGUID="{COSTS}"/>
        </Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="f0000000-0000-4000-8000-000000000004" {label_only} creatingUser="{BOB}">
        <Coding guid="f1000000-0000-4000-8000-000000000005" creatingUser="{BOB}">
          <CodeRef targetGUID="{CULTURE}"/>
        </Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="f0000000-0000-4000-8000-000000000005" startPosition="10" endPosition="10" creatingUser="{BOB}">
        <Coding guid="f1000000-0000-4000-8000-000000000006" creatingUser="{BOB}">
          <CodeRef targetGUID="{CULTURE}"/>
        </Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="f0000000-0000-4000-8000-000000000006" {self.selection("Call me on 020 7946 0958")} creatingUser="{ALICE}">
        <Coding guid="f1000000-0000-4000-8000-000000000007" creatingUser="{ALICE}">
          <CodeRef targetGUID="{COSTS}"/>
        </Coding>
      </PlainTextSelection>
      <NoteRef targetGUID="c0000000-0000-4000-8000-000000000003"/>
      <NoteRef targetGUID="c0000000-0000-4000-8000-000000000005"/>
      <VariableValue><VariableRef targetGUID="d0000000-0000-4000-8000-000000000006"/><TextValue>North</TextValue></VariableValue>
    </TextSource>
    <TextSource guid="{FIELD_NOTES}" name="Field notes">
      <PlainTextContent>{FIELD_NOTES_TEXT}</PlainTextContent>
      <PlainTextSelection guid="f0000000-0000-4000-8000-000000000007" startPosition="{notes_start}" endPosition="{notes_end}" creatingUser="{ALICE}">
        <Coding guid="f1000000-0000-4000-8000-000000000008" creatingUser="{ALICE}">
          <CodeRef targetGUID="{COSTS}"/>
        </Coding>
      </PlainTextSelection>
    </TextSource>
    <PictureSource guid="b0000000-0000-4000-8000-000000000003" name="Whiteboard photo" path="internal://b0000000-0000-4000-8000-000000000003.png"/>
    <TextSource guid="b0000000-0000-4000-8000-000000000004" name="Linked file" plainTextPath="absolute:///C:/data/linked.txt"/>
  </Sources>
  <Notes>
    <Note guid="c0000000-0000-4000-8000-000000000001" name="About front line">
      <PlainTextContent>Watch for managers claiming credit.</PlainTextContent>
    </Note>
    <Note guid="c0000000-0000-4000-8000-000000000002" name="Coding memo">
      <PlainTextContent>Strong example.</PlainTextContent>
    </Note>
    <Note guid="c0000000-0000-4000-8000-000000000003" name="Setting">
      <PlainTextContent>The interviewee asked for the recorder to be paused once.</PlainTextContent>
    </Note>
    <Note guid="c0000000-0000-4000-8000-000000000004" name="Project journal">
      <PlainTextContent>Second round of coding done.</PlainTextContent>
    </Note>
    <Note guid="c0000000-0000-4000-8000-000000000005" name="Annotation">
      <PlainTextContent>Check this date.</PlainTextContent>
      <PlainTextSelection guid="f0000000-0000-4000-8000-000000000009" startPosition="0" endPosition="9"/>
    </Note>
  </Notes>
  <Sets>
    <Set guid="a1000000-0000-4000-8000-000000000001" name="Key codes">
      <MemberCode targetGUID="{FRONT_LINE}"/>
    </Set>
  </Sets>
  <NoteRef targetGUID="c0000000-0000-4000-8000-000000000004"/>
</Project>
"""

    def write(self, path: Path) -> Path:
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("project.qde", self.qde().encode("utf-8"))
            if self.interview_entry is not None:
                archive.writestr(self.interview_entry, "\ufeff".encode() + INTERVIEW_TEXT.encode())
            for name, data in self.extra_entries.items():
                archive.writestr(name, data)
        return path


FOREIGN_QDC = """<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Another QDA tool 7.1">
  <Codes>
    <Code guid="{origins}" name="Origins and triggers" isCodable="true">
      <Code guid="{front}" name="Front-line ideas" isCodable="true" color="#009E73">
        <Description>Ideas from the people who deliver the service.</Description>
      </Code>
    </Code>
    <Code guid="{new}" name="Partnerships" isCodable="true" color="#F0E442">
      <Description>Working with other organisations.

Exclude: contracts with suppliers.</Description>
      <Code guid="{child}" name="Voluntary sector" isCodable="true"/>
    </Code>
  </Codes>
  <Sets>
    <Set guid="{set}" name="Round one"><MemberCode targetGUID="{new}"/></Set>
  </Sets>
</CodeBook>
""".format(
    origins="a2000000-0000-4000-8000-000000000001",
    front="a2000000-0000-4000-8000-000000000002",
    new="a2000000-0000-4000-8000-000000000003",
    child="a2000000-0000-4000-8000-000000000004",
    set="a2000000-0000-4000-8000-000000000005",
)
