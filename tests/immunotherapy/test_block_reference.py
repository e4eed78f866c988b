"""docs/blocks.md is generated from the block classes and kept current; API v3's schema
describes StreamField bodies block by block."""

from wagtail.models import APIToken

import pytest

from immunotherapy.plugins import DEFAULT_PLUGINS
from tests.helpers import PROJECT_DIR, run_manage

# The reference describes the default installation: the built-ins, no entry-point plugins.
DEFAULT_INSTALL = {
    "DJANGO_SETTINGS_MODULE": "site_config.settings.test",
    "IMMUNOTHERAPY_PLUGINS": ",".join(DEFAULT_PLUGINS),
    "IMMUNOTHERAPY_ENTRY_POINTS": "false",
    "IMMUNOTHERAPY_DISABLED_PLUGINS": "",
}


WITH_EXAMPLE = {
    "IMMUNOTHERAPY_PLUGINS": ",".join([*DEFAULT_PLUGINS, "tests.plugins.oncolytic_virus"])
}


def test_docs_blocks_md_matches_the_block_classes() -> None:
    result = run_manage("block_reference", "--check", env=DEFAULT_INSTALL)
    assert result.returncode == 0, f"{result.stderr.strip()} (then commit docs/blocks.md)"


def test_an_extra_installed_plugin_is_left_out_of_the_check() -> None:
    # The test settings add the suite's example plugin, as installing a plugin would.
    result = run_manage("block_reference", "--check", env={**DEFAULT_INSTALL, **WITH_EXAMPLE})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "left out (not built in): tests.plugins.oncolytic_virus"
    assert "is up to date" in result.stdout


CAR_T_DISABLED = {**DEFAULT_INSTALL, "IMMUNOTHERAPY_DISABLED_PLUGINS": "car_t"}


def test_a_disabled_built_in_is_not_checked_and_the_rest_is(tmp_path) -> None:
    result = run_manage("block_reference", "--check", env=CAR_T_DISABLED)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        "not checked (built in, not enabled here): immunotherapy.therapies.car_t"
    )
    assert "is up to date" in result.stdout

    stale = tmp_path / "blocks.md"
    reference = (PROJECT_DIR / "docs" / "blocks.md").read_text()
    stale.write_text(reference.replace("### `checkpoint_target`", "### `target`"))
    result = run_manage("block_reference", "--check", "--output", str(stale), env=CAR_T_DISABLED)
    assert result.returncode != 0
    assert "is out of date with the block classes" in result.stderr


def test_the_reference_is_not_written_with_a_built_in_disabled(tmp_path) -> None:
    output = tmp_path / "blocks.md"
    result = run_manage("block_reference", "--output", str(output), env=CAR_T_DISABLED)
    assert result.returncode != 0
    assert "built-in plugins not enabled here: immunotherapy.therapies.car_t" in result.stderr
    assert not output.exists()


def test_a_stale_reference_fails_the_check_with_one_line(tmp_path) -> None:
    stale = tmp_path / "blocks.md"
    stale.write_text("# Block reference\n\nside_effects: heading, effects\n")
    result = run_manage("block_reference", "--check", "--output", str(stale), env=DEFAULT_INSTALL)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        f"CommandError: {stale} is out of date with the block classes:"
        " run python manage.py block_reference"
    ]


def test_the_reference_names_stream_names_fields_choices_and_rules() -> None:
    from immunotherapy.management.commands.block_reference import block_reference

    text = block_reference()
    assert "### `side_effects`: SideEffectsBlock" in text
    assert "| `effects[].grade` | choice | yes | `1` (Grade 1 (mild))" in text
    assert "### `care_card`: CareCardBlock" in text
    assert "`level` `emergency` or `urgent`" in text
    assert "### `checkpoint_target`: CheckpointTargetBlock" in text
    assert "| `stay_nearby_weeks` | integer | no | from 0 to 12" in text


@pytest.mark.django_db
def test_api_v3_schema_describes_the_body_block_by_block(client, admin_user) -> None:
    _token, plaintext = APIToken.create_token(user=admin_user, name="tests")
    response = client.get(
        "/api/v3/schema/checkpoint_inhibitors.CheckpointInhibitorPage/",
        HTTP_AUTHORIZATION=f"Bearer {plaintext}",
    )
    assert response.status_code == 200
    for direction in ("read", "create", "patch"):
        body = response.json()[direction]["properties"]["body"]
        variants = {v["properties"]["type"]["const"]: v for v in body["items"]["oneOf"]}
        assert {"section", "side_effects", "care_card", "checkpoint_target"} <= set(variants)
        target = variants["checkpoint_target"]["properties"]["value"]["properties"]["target"]
        assert target["enum"] == ["PD-1", "PD-L1", "CTLA-4", "LAG-3"]
        care = variants["care_card"]["properties"]["value"]
        assert "level" in care["required"]
