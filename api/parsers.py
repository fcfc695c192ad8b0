import codecs

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.utils import json


class DuplicateKey(ValueError):
    pass


def _object_without_duplicates(pairs: list[tuple[str, object]]) -> dict:
    found = {}
    for key, value in pairs:
        if key in found:
            raise DuplicateKey(key)
        found[key] = value
    return found


class SafeJSONParser(JSONParser):
    """DRF's JSON parser (strict: no NaN or Infinity) that also refuses, with a 400:

    - a key given twice in one object (``{"kind": "complaint", "kind": "corruption"}``): parsers disagree
      on which one counts (the first, the last, an error), so a gateway and Rabfang could read two
      different requests out of one document;
    - absurdly nested documents (a RecursionError otherwise).
    """

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            return json.load(codecs.getreader(encoding)(stream), parse_constant=json.strict_constant,
                             object_pairs_hook=_object_without_duplicates)
        except DuplicateKey as error:
            raise ParseError(f"The JSON document gives the key '{error.args[0]}' twice in one object.") from None
        except RecursionError:
            raise ParseError("The JSON document is nested too deeply.") from None
        except ValueError as error:
            raise ParseError(f"JSON parse error - {error}") from None
