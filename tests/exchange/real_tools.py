"""REFI-QDA projects written the way four real tools write them (our own words and XML).

Each builder reproduces the structural features noted, with where they were seen, in
tests/fixtures/real-world-formats.md ("REFI-QDA projects"). Positions are counted here
with ``str.index`` on the texts below, in code points, so the tests do not lean on
innostudy's offset code.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import docx


@dataclass
class Built:
    """A project and what a lossless import must find in it."""

    path: Path
    codes: int
    sources: int
    selections: int
    codings: int
    empty_sources: int = 0
    names: list[str] = field(default_factory=list)


def _zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return path


def _span(text: str, phrase: str) -> str:
    start = text.index(phrase)
    return f'startPosition="{start}" endPosition="{start + len(phrase)}"'


# --- qc 1.3.2: bare plainTextPath, no source name, selections named "line:N" ---------

QC_INTERVIEW = (
    "Automation:         This call is now being recorded.\n\n"
    "Noor Haddad:         Can I get your verbal consent that it is okay if I \n"
    "record this, just for the transcription?\n\n"
    "P07:     Sure.\n\n"
    "Noor Haddad:         Thank you. What is your role on the board? \n\n"
    "P07:     I chair it. We meet every six weeks, and the budget \n"
    "comes up every time.\n"
)
QC_BOARD = (
    "Speaker 1:          Thank you. Let's move on to the digital \n"
    "services item. \n\n"
    "Speaker 2:          Alright. The pilot reached two wards this year.\n\n"
    "Speaker 1:          And the cost?\n\n"
    "Speaker 2:          Under budget, for once.\n"
)
QC_USER = "39633935-3331-3962-6632-373436373264"
QC_CODES = [
    ("34653336-3766-3235-6466-363134396437", "rq1_definition"),
    ("31366536-3938-3831-6231-633830313036", "competencies"),
    ("36636563-3863-6264-3638-303637613863", "budget"),
    ("33323333-6536-3839-6665-643535383163", "consent"),
]


def _qc_selection(guid: int, line: int, text: str, phrase: str, codes: list[str]) -> str:
    codings = "".join(
        f'<Coding guid="66323339-6466-3364-3266-{guid:06d}{n:06d}" creatingUser="{QC_USER}">'
        f'<CodeRef targetGUID="{code}" /></Coding>'
        for n, code in enumerate(codes)
    )
    return (
        f'<PlainTextSelection guid="37323865-3734-6533-3337-{guid:012d}" name="line:{line}" '
        f"{_span(text, phrase)}>{codings}</PlainTextSelection>"
    )


def qc_project(path: Path) -> Built:
    budget, consent, competencies = QC_CODES[2][0], QC_CODES[3][0], QC_CODES[1][0]
    interview = "".join(
        [
            _qc_selection(1, 3, QC_INTERVIEW, "Can I get your verbal consent", [consent]),
            _qc_selection(2, 9, QC_INTERVIEW, "I chair it.", [competencies]),
            _qc_selection(
                3, 9, QC_INTERVIEW, "the budget \ncomes up every time", [budget, competencies]
            ),
        ]
    )
    board = _qc_selection(4, 7, QC_BOARD, "Under budget, for once.", [budget])
    qde = (
        '<Project xmlns="urn:QDA-XML:project:1.0" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" origin="qc 1.3.2" '
        f'name="qc project"><Users><User name="cp" guid="{QC_USER}" /></Users>'
        f'<CodeBook><Codes><Code name="{QC_CODES[0][1]}" guid="{QC_CODES[0][0]}" '
        'isCodable="true">'
        + "".join(
            f'<Code name="{name}" guid="{guid}" isCodable="true" />' for guid, name in QC_CODES[1:]
        )
        + "</Code></Codes></CodeBook><Sources>"
        f'<TextSource plainTextPath="interview-1.txt" '
        f'guid="66653866-6334-3535-3435-366637306566">{interview}</TextSource>'
        f'<TextSource plainTextPath="board_2025.txt" '
        f'guid="33663939-3636-3632-3038-613431643463">{board}</TextSource>'
        "</Sources></Project>"
    )
    _zip(
        path,
        {
            "project.qde": qde.encode(),
            "sources/board_2025.txt": QC_BOARD.encode(),
            "sources/interview-1.txt": QC_INTERVIEW.encode(),
        },
    )
    return Built(path, 4, 2, 4, 5, names=["interview-1", "board_2025"])


# --- NVivo for Mac 15: empty plain text beside an empty DOCX, a .root entry ------------


def _docx(paragraphs: list[str]) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


NVIVO_MAC_SOURCES = ["d097e6fd-7671-4d95-a8b6-7795fa4a72e1", "e65f5ee2-9a55-47f1-bb0b-4921d8ce15c4"]


def nvivo_mac_project(path: Path) -> Built:
    user = "1b0b1791-be46-4557-9957-7333544cfaf2"
    sources = "".join(
        f'<TextSource creatingUser="{user}" creationDateTime="2026-03-15T15:36:47Z" '
        f'guid="{g}" modifiedDateTime="2026-03-15T15:36:47Z" modifyingUser="{user}" '
        f'name="{66653866 + n}-6334-3535-3435-366637306566" plainTextPath="internal://{g}.txt" '
        f'richTextPath="internal://{g}.docx"/>'
        for n, g in enumerate(NVIVO_MAC_SOURCES)
    )
    qde = (
        '<?xml version="1.0" encoding="UTF-8" standalone="no" ?><Project basePath="" '
        f'creatingUserGUID="{user}" creationDateTime="2026-03-15T15:36:45Z" '
        f'modifiedDateTime="2026-03-15T15:36:51Z" modifyingUserGUID="{user}" name="qc project" '
        'origin="NVivo for Mac 15.0.0" xmlns="urn:QDA-XML:project:1.0" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="urn:QDA-XML:project:1.0 Project.xsd">'
        f'<Users><User guid="{user}" id="NH" name="noor"/></Users>'
        '<CodeBook><Codes><Code guid="34653336-3766-3235-6466-363134396437" isCodable="true" '
        'name="barriers"><Code guid="31366536-3938-3831-6231-633830313036" isCodable="true" '
        'name="procurement"/></Code></Codes></CodeBook>'
        f"<Sources>{sources}</Sources></Project>"
    )
    entries = {f"sources/{g}.docx": _docx([""]) for g in NVIVO_MAC_SOURCES}
    entries |= {f"sources/{g}.txt": b"\n" for g in NVIVO_MAC_SOURCES}
    entries |= {"sources/.root": b"", "project.qde": qde.encode()}
    _zip(path, entries)
    return Built(path, 2, 2, 0, 0, empty_sources=2)


# --- ATLAS.ti 23 for Windows: the .qde named after the project, capital GUIDs ----------

ATLAS_TEXT = (
    "Interviewer: Where did the idea for the app come from?\n"
    "P03: From a resident who kept ringing about potholes.\n"
    "Interviewer: And who paid for it?\n"
    "P03: Nobody, at first. We used a small grant.\n"
)


def atlas_project(path: Path) -> Built:
    user, tool = "088B08AC-D5CD-4ADB-8B71-B4F3459C177F", "C32A2BD5-537F-4838-8B17-DF9EFBAFDF4B"
    source = "437477F4-4326-4D8A-94FA-0A1B2C3D4E5F"
    codes = ["A182CD3A-D83C-4D8C-BC80-26D9103EC6D6", "2D2466F0-D77F-4F8C-BDF9-628966B6B74D"]
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:QDA-XML:project:1.0 http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd" origin="ATLAS.ti for Windows 23.2.3.27778" name="Potholes app" creatingUserGUID="{user}" creationDateTime="2026-03-16T15:49:36Z" modifyingUserGUID="{user}" modifiedDateTime="2026-03-16T15:50:33Z" xmlns="urn:QDA-XML:project:1.0">
  <Users>
    <User guid="{user}" name="Noor Haddad" />
    <User guid="{tool}" name="ATLAS.ti" />
  </Users>
  <CodeBook>
    <Codes>
      <Code guid="{codes[0]}" name="Origins" isCodable="true">
        <Code guid="{codes[1]}" name="2026-03-10 residents" isCodable="true" />
      </Code>
    </Codes>
  </CodeBook>
  <Sources>
    <TextSource guid="{source}" name="Interview P03" plainTextPath="/sources/{source}.txt" creatingUser="{user}">
      <PlainTextSelection guid="B0B0B0B0-0000-4000-8000-000000000001" {_span(ATLAS_TEXT, "From a resident who kept ringing about potholes.")} creatingUser="{user}">
        <Coding guid="B0B0B0B0-0000-4000-8000-000000000002" creatingUser="{user}">
          <CodeRef targetGUID="{codes[1]}" />
        </Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="B0B0B0B0-0000-4000-8000-000000000003" {_span(ATLAS_TEXT, "We used a small grant.")} creatingUser="{user}">
        <Coding guid="B0B0B0B0-0000-4000-8000-000000000004" creatingUser="{user}">
          <CodeRef targetGUID="{codes[0]}" />
        </Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
</Project>
"""
    _zip(path, {"Potholes app.qde": qde.encode(), f"sources/{source}.txt": ATLAS_TEXT.encode()})
    return Built(path, 2, 1, 2, 2, names=["Interview P03"])


# --- MAXQDA: a text source with only its rich text (DOCX) ---------------------------

MAXQDA_PARAGRAPHS = [
    "Facilitator: What slowed the project down?",
    "R1: The business case. It went round three boards.",
    "Facilitator: Anything else?",
    "R1: Procurement rules, and a supplier who left.",
]


def maxqda_project(path: Path) -> Built:
    text = "\n".join(MAXQDA_PARAGRAPHS)
    source = "5A0E2C1B-7D3F-4E5A-9B8C-1D2E3F4A5B6C"
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project origin="MAXQDA 2022 (Release 22.4.0)" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:QDA-XML:project:1.0 http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd" name="Focus group 4" xmlns="urn:QDA-XML:project:1.0">
<Users><User guid="6F1C2B3A-0000-4000-8000-00000000000A" name="Analyst"/></Users>
<CodeBook><Codes>
<Code guid="6F1C2B3A-0000-4000-8000-000000000001" name="Barriers" isCodable="true" color="#ff0000">
<Code guid="6F1C2B3A-0000-4000-8000-000000000002" name="Business case" isCodable="true"/>
<Code guid="6F1C2B3A-0000-4000-8000-000000000003" name="Procurement" isCodable="true"/>
</Code>
</Codes></CodeBook>
<Sources>
<TextSource guid="{source}" name="FG4 transcript" richTextPath="internal://{source}.docx" creatingUser="6F1C2B3A-0000-4000-8000-00000000000A">
<PlainTextSelection guid="6F1C2B3A-0000-4000-8000-000000000011" {_span(text, "The business case.")} creatingUser="6F1C2B3A-0000-4000-8000-00000000000A">
<Coding guid="6F1C2B3A-0000-4000-8000-000000000021" creatingUser="6F1C2B3A-0000-4000-8000-00000000000A"><CodeRef targetGUID="6F1C2B3A-0000-4000-8000-000000000002"/></Coding>
</PlainTextSelection>
<PlainTextSelection guid="6F1C2B3A-0000-4000-8000-000000000012" {_span(text, "Procurement rules")} creatingUser="6F1C2B3A-0000-4000-8000-00000000000A">
<Coding guid="6F1C2B3A-0000-4000-8000-000000000022" creatingUser="6F1C2B3A-0000-4000-8000-00000000000A"><CodeRef targetGUID="6F1C2B3A-0000-4000-8000-000000000003"/></Coding>
</PlainTextSelection>
</TextSource>
</Sources>
</Project>
"""
    _zip(path, {"project.qde": qde.encode(), f"sources/{source}.docx": _docx(MAXQDA_PARAGRAPHS)})
    return Built(path, 3, 1, 2, 2, names=["FG4 transcript"])
