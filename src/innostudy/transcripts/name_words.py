"""Names that are also everyday words, and the words around a name that say it is one.

"Ben Young" is a participant; "young people" is not about him. A name part on this list
is redacted alone only where it is written as a name (capitalised, not merely because it
starts a sentence) or stands in a name's place ("Ms Young", "Young said"); the full name
is always redacted. The list holds frequent British and Irish surnames and given names
that are ordinary English words, chosen for how often the word itself comes up when
people talk about public services, budgets and their work.
"""

from __future__ import annotations

_EVERYDAY_NAME_WORDS = """
    young green hall grant wood woods black white brown king price bell hill field
    fields mills ward booth bishop marsh cook baker turner hunter mason fisher little
    long short bush moss lamb fox hope joy bird rich sharp wise strong brook brooks
    stone lane head chambers banks church gold may frost snow winter summer day knight
    page cross rice burns case bond story ford west north south english french rivers
    lord power law hay hand swift best cash chance child dean dale duke fair fine glass
    good hart heath house key lake land lock love low major marshall miller moon more
    nash new noble park pool pope porter potter quick read reed ridge ring rock root
    salt sands savage shepherd singer slater small sparks spring steel street tanner
    waters weaver wells wild will grace faith dawn frank mark bill sue rose holly ivy
    heather daisy violet amber penny pearl miles cliff glen ray art victor earnest
    sterling guy jack june april august bloom brewer butler carter clay cooper draper
    farmer fletcher gardener glover harper hedges hook hunt mayor pike rider sawyer
    thorn tucker walker wall warden webb chase drew gay earl well pierce sage
"""
EVERYDAY_NAME_WORDS = frozenset(_EVERYDAY_NAME_WORDS.split())

#: Words before a name that make it one ("Ms Young", "Councillor Green").
_TITLES = """
    mr mrs ms miss mx dr prof professor sir dame lord lady cllr councillor minister
"""
TITLES = frozenset(_TITLES.split())

#: Words after a name that make it one ("Young said", "Green thinks").
_SPEECH_VERBS = """
    said says told tells asked asks thinks thought mentioned suggested argued agreed
    explained wrote writes noted replied added raised pointed reckons felt feels
"""
SPEECH_VERBS = frozenset(_SPEECH_VERBS.split())
