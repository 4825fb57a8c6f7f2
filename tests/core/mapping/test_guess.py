"""'Guess the destination fields': the magic wand of the Field mapping screen."""

from __future__ import annotations

from campaign_desktop.domain.recipient_fields import FIELDS_BY_NAME
from campaign_desktop.mapping import guess_mapping


def guessed(columns: list[str]) -> dict[str, str]:
    return {m.source: m.destination for m in guess_mapping(columns)}


def test_a_french_file_is_guessed_from_its_french_headers():
    assert guessed(["Prénom", "Nom", "Courriel", "Date de naissance"]) == {
        "Prénom": "first_name",
        "Nom": "last_name",
        "Courriel": "email",
        "Date de naissance": "birth_date",
    }


def test_exact_names_xpaths_and_labels_are_recognised():
    assert guessed(["email", "first_name", "@lastName", "Birth date", "location/@city", "Account #"]) == {
        "email": "email",
        "first_name": "first_name",
        "@lastName": "last_name",
        "Birth date": "birth_date",
        "location/@city": "city",
        "Account #": "account",
    }


def test_case_accents_spaces_and_punctuation_do_not_matter():
    assert guessed(["LAST_NAME", "prenom", "date-de-naissance", "E_Mail", "zip.code", "VILLE"]) == {
        "LAST_NAME": "last_name",
        "prenom": "first_name",
        "date-de-naissance": "birth_date",
        "E_Mail": "email",
        "zip.code": "zip_code",
        "VILLE": "city",
    }


def test_typos_are_matched_fuzzily():
    assert guessed(["E-mail adress", "firstname", "Birth dates"]) == {
        "E-mail adress": "email",
        "firstname": "first_name",
        "Birth dates": "birth_date",
    }


def test_unknown_columns_stay_unmapped_and_are_left_out():
    mapping = guess_mapping(["Email", "Loyalty points", "Favourite colour", "x"])
    assert [(m.source, m.destination) for m in mapping] == [("Email", "email")]


def test_each_field_is_used_once_and_the_closest_column_wins():
    # 'Last name' is the label itself; 'Name' is only an alias: the label wins even though it comes second.
    assert guessed(["Name", "Last name"]) == {"Last name": "last_name"}
    # Two spellings of the email: the exact name wins, the other stays unmapped.
    assert guessed(["E-mail", "email"]) == {"email": "email"}


def test_fields_the_application_sets_itself_are_never_proposed():
    assert guessed(["id", "Primary key", "created", "Creation date", "last_modified"]) == {}
    assert all(FIELDS_BY_NAME[m.destination].importable for m in guess_mapping(["@id", "@created", "Email"]))


def test_a_repeated_header_is_mapped_by_position():
    mapping = guess_mapping(["Phone", "Email", "Phone"])
    assert [(m.source, m.destination) for m in mapping] == [("Phone", "phone"), ("Email", "email")]


def test_short_headers_are_not_matched_fuzzily():
    assert guessed(["ab", "xyz", "zi"]) == {}


def test_the_usual_crm_export_is_fully_guessed():
    columns = [
        "Email",
        "First Name",
        "Last Name",
        "DOB",
        "Sexe",
        "Customer ID",
        "Ville",
        "Téléphone",
        "Mobile",
        "Code postal",
        "Pays",
        "Société",
        "Civilité",
        "Opt-out",
    ]
    assert list(guessed(columns).values()) == [
        "email",
        "first_name",
        "last_name",
        "birth_date",
        "gender",
        "account",
        "city",
        "phone",
        "mobile_phone",
        "zip_code",
        "country_code",
        "company",
        "salutation",
        "blacklist",
    ]


def test_exact_matching_past_the_fuzzy_columns_gives_the_same_answers_as_scoring_each_field():
    from campaign_desktop.domain.recipient_fields import IMPORTABLE_FIELDS
    from campaign_desktop.mapping.guess import score_column

    headers = ["email", "E-mail", "Courriel", "LAST_NAME", "first name", "Date de naissance", "Prénom", "tél",
               "@lastName", "location/@city", "zip code", "nothing like it", ""]
    headers += [f.label for f in IMPORTABLE_FIELDS] + [f.name for f in IMPORTABLE_FIELDS]
    for header in headers:
        with_fuzz = [s for s in score_column(header, fuzzy=True) if s[0] >= 85]
        assert sorted(score_column(header, fuzzy=False)) == sorted(with_fuzz), header
