"""Saved registers (Arrow IPC, loaded through the Arrow C data interface): what comes back
equals the CSV-read register column by column, and a truncated, foreign or changed file is
a clear error (ValueError naming the file; the CLI exits 2 without a traceback)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.ipc  # noqa: F401
import pytest

import staffcast as sc
from staffcast import _core

from conftest import HEADER, SAMPLE, run_cli

WARNINGS = (  # an unknown manager, an overlap, a reason on an open spell, a duplicate row; a region
    "E1,1970-01-01,F,permanent,A,D,1.00,2015-01-01,2019-12-31,own_request,external,M9,Norr\n"
    "E1,1970-01-01,F,permanent,A,D,1.00,2019-06-01,,own_request,internal,,Norr\n"
    "E2,1980-05-05,M,temporary,B,D,0.50,2018-01-01,2018-12-31,fixed_term_ended,external,E1,Syd\n"
    "E2,1980-05-05,M,temporary,B,D,0.50,2018-01-01,2018-12-31,fixed_term_ended,external,E1,Syd\n"
    "E3,1990-02-28,X,hourly,C,F,,2020-03-01,,,rehire,E1,Syd\n")


def same_register(loaded: sc.Register, read: sc.Register) -> None:
    """Every column, dictionary, warning and extraction fact equal."""
    ours, theirs = loaded._core.columns(), read._core.columns()
    assert ours.keys() == theirs.keys()
    for name in theirs:
        if name == "pass_through":
            assert ours[name].keys() == theirs[name].keys()
            for dim, (codes, values) in theirs[name].items():
                np.testing.assert_array_equal(ours[name][dim][0], codes, err_msg=dim)
                assert list(ours[name][dim][1]) == list(values)
        else:
            np.testing.assert_array_equal(ours[name], theirs[name], err_msg=name)
            assert ours[name].dtype == theirs[name].dtype, name
    assert loaded._core.dictionaries() == read._core.dictionaries()
    pd.testing.assert_frame_equal(loaded.issues, read.issues)
    for fact in ["extracted_on", "extracted_on_given", "earliest_observed_end", "latest_date", "earliest_start",
                 "latest_start", "persons", "rows_read"]:
        assert getattr(loaded._core, fact) == getattr(read._core, fact), fact
    assert loaded.label == read.label


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("generated")
    sc.generate(out, persons=3000, years=10, seed=5, indicators=False)
    return out / "employments.csv"


def test_round_trip_of_the_sample_given_and_assumed(tmp_path):
    for kwargs in ({"extracted_on": "2024-09-30"}, {"today": "2026-12-05"}):
        read = sc.read_register(SAMPLE / "employments.csv", **kwargs)
        read.save(tmp_path / "r.arrow")
        loaded = sc.load_register(tmp_path / "r.arrow")
        same_register(loaded, read)
    assert loaded.extracted_on == dt.date(2025, 9, 20) and loaded.extracted_on_assumed
    assert loaded.issues.iloc[0]["code"] == "extraction_date_assumed"


def test_round_trip_of_a_generated_register(generated, tmp_path):
    read = sc.read_register(generated, extracted_on="2024-09-30")
    read.save(tmp_path / "g.feather")
    same_register(sc.load_register(tmp_path / "g.feather"), read)


def test_round_trip_keeps_warnings_and_pass_through(write_register, tmp_path):
    path = write_register(WARNINGS, header=HEADER.rstrip("\n") + ",region\n")
    read = sc.read_register(path, dimensions=["region"], today="2026-12-05")
    assert {"unknown_manager", "overlapping_spells", "reason_on_open_spell", "duplicate_row"} <= set(read.issues.code)
    read.save(tmp_path / "w.arrow")
    loaded = sc.load_register(tmp_path / "w.arrow")
    same_register(loaded, read)
    assert loaded.to_frame()["region"].tolist() == read.to_frame()["region"].tolist()


def test_an_extraction_date_given_at_load_is_the_one_given_at_reading(generated, tmp_path):
    sc.read_register(generated, today="2026-12-05").save(tmp_path / "a.arrow")
    loaded = sc.load_register(tmp_path / "a.arrow", extracted_on="2022-06-30")
    same_register(loaded, sc.read_register(generated, extracted_on="2022-06-30"))
    # today= changes nothing on a saved register: the assumed day stays the day saved.
    assumed = sc.read_register(generated, today="2026-12-05").extracted_on
    assert sc.load_register(tmp_path / "a.arrow", today="2000-01-01").extracted_on == assumed


def test_the_file_is_plain_uncompressed_and_mapped(tmp_path):
    reg = sc.read_register(SAMPLE / "employments.csv", extracted_on="2024-09-30")
    path = tmp_path / "r.arrow"
    reg.save(path)
    with pa.memory_map(str(path)) as source:
        whole = source.read_buffer(path.stat().st_size)
        source.seek(0)
        reader = pa.ipc.open_file(source)
        batch = reader.get_batch(0)
        assert reader.num_record_batches == 1
        assert reader.schema.metadata[b"staffcast.format"] == b"3"
        types = {field.name: field.type for field in batch.schema}
        assert types["employee_id"] == pa.dictionary(pa.int32(), pa.string())
        assert types["start_date"] == pa.date32() and types["fte"] == pa.uint8() and types["manager"] == pa.uint32()
        for column in batch.columns:  # every buffer lies inside the mapped file: nothing was decompressed
            arrays = [column, column.dictionary] if pa.types.is_dictionary(column.type) else [column]
            for array in arrays:
                for buffer in array.buffers():
                    if buffer is not None and buffer.size:
                        assert whole.address <= buffer.address < whole.address + whole.size
    frame = pd.read_feather(path)  # any Arrow reader sees the columns
    assert frame["employee_id"].astype(str).tolist() == reg.to_frame()["employee_id"].tolist()


def test_a_loaded_register_outlives_its_file_and_a_save_over_it(tmp_path):
    """The register's columns view the mapped file: deleting the file, or saving another
    register over its path (a new file renamed into place), leaves the loaded one whole."""
    first = sc.read_register(SAMPLE / "employments.csv", extracted_on="2024-09-30")
    path = tmp_path / "r.arrow"
    first.save(path)
    expected = sc.snapshot(first, "2024-06-30", by=["department", "gender"])
    mapped = sc.load_register(path)
    copied = sc.load_register(path, mapped=False)
    shorter = sc.read_register(SAMPLE / "employments.csv", extracted_on="2023-12-31")
    shorter.save(path)  # replaces the file the first load maps
    assert sc.load_register(path).extracted_on == dt.date(2023, 12, 31)
    path.unlink()
    import gc

    gc.collect()
    for loaded in (mapped, copied):
        pd.testing.assert_frame_equal(sc.snapshot(loaded, "2024-06-30", by=["department", "gender"]), expected)
        assert loaded.extracted_on == dt.date(2024, 9, 30)
        same_register(loaded, first)
    again = mapped  # a second reference shares the mapping; dropping the first keeps it
    del mapped
    gc.collect()
    assert again.to_frame()["employee_id"].tolist() == first.to_frame()["employee_id"].tolist()


# ---------------------------------------------------------------- damaged, foreign and changed files


@pytest.fixture
def saved(tmp_path):
    reg = sc.read_register(SAMPLE / "employments.csv", extracted_on="2024-09-30")
    path = tmp_path / "register.arrow"
    reg.save(path)
    return path


def rewrite(path, out, change) -> None:
    """Writes `path` again to `out` after change(columns) (a dict of arrays), with the checksum
    recomputed to match: only the core's own checks can refuse it."""
    with pa.memory_map(str(path)) as source:
        reader = pa.ipc.open_file(source)
        batch = reader.get_batch(0)
        meta = dict(reader.schema.metadata)
        columns = {name: batch.column(name) for name in batch.schema.names}
        change(columns)
        batch = pa.RecordBatch.from_arrays(list(columns.values()), names=list(columns))
        del meta[b"staffcast.checksum"]
        batch = batch.replace_schema_metadata(meta)
        exported = _core.ArrowCData()
        batch._export_to_c(exported.array_address, exported.schema_address)
        meta[b"staffcast.checksum"] = _core.saved_register_checksum(exported).encode()
        del exported
        batch = batch.replace_schema_metadata(meta)
        with pa.OSFile(str(out), "wb") as sink, pa.ipc.new_file(sink, batch.schema) as writer:
            writer.write_batch(batch)


def refused(path, match: str) -> None:
    with pytest.raises(ValueError, match=match) as caught:
        sc.load_register(path)
    assert str(path) in str(caught.value)


def test_a_truncated_file_is_refused(saved, tmp_path):
    data = saved.read_bytes()
    for size in [0, 6, 64, 500, len(data) // 3, len(data) // 2, len(data) - 40, len(data) - 1]:
        cut = tmp_path / f"cut{size}.arrow"
        cut.write_bytes(data[:size])
        refused(cut, "is not a saved staffcast register")


def test_a_byte_flipped_in_a_column_buffer_fails_the_checksum(saved, tmp_path):
    with pa.memory_map(str(saved)) as source:
        base = source.read_buffer(saved.stat().st_size).address
        source.seek(0)
        batch = pa.ipc.open_file(source).get_batch(0)
        places = {name: batch.column(name).buffers()[1] for name in ["start_date", "end_partner", "fte"]}
        places["ids"] = batch.column("employee_id").dictionary.buffers()[2]
        offsets = {name: buffer.address - base + buffer.size // 2 for name, buffer in places.items()}
    for name, offset in offsets.items():
        data = bytearray(saved.read_bytes())
        data[offset] ^= 0x10
        damaged = tmp_path / f"flip-{name}.arrow"
        damaged.write_bytes(bytes(data))
        refused(damaged, "checksum does not match its contents")


def test_bytes_flipped_in_the_footer_are_refused_or_harmless(saved, tmp_path):
    """The IPC file's footer (schema, metadata, where each block lies) ends the file before
    its length and the magic ARROW1."""
    original = sc.load_register(saved)
    data = saved.read_bytes()
    footer = int.from_bytes(data[-10:-6], "little")
    refusals = 0
    for offset in range(len(data) - 10 - footer, len(data) - 6, max(1, footer // 150)):
        changed = bytearray(data)
        changed[offset] ^= 0xFF
        damaged = tmp_path / "header.arrow"
        damaged.write_bytes(bytes(changed))
        try:
            loaded = sc.load_register(damaged)
        except ValueError as error:
            assert str(damaged) in str(error)
            refusals += 1
        else:  # padding or a byte no reader looks at: the same register
            same_register(loaded, original)
    assert refusals >= 10


def test_a_code_outside_its_dictionary_is_refused_even_with_a_matching_checksum(saved, tmp_path):
    def change(columns):
        position = columns["position"]
        indices = position.indices.to_numpy().copy()
        indices[3] = len(position.dictionary) + 5
        columns["position"] = pa.DictionaryArray.from_arrays(pa.array(indices, pa.int32()), position.dictionary,
                                                             safe=False)

    rewrite(saved, tmp_path / "code.arrow", change)
    refused(tmp_path / "code.arrow", "a code is out of range")


def test_a_partner_of_another_person_is_refused(saved, tmp_path):
    def change(columns):
        person = columns["employee_id"].indices.to_numpy()
        partner = columns["end_partner"].to_numpy().copy()
        i = int(np.flatnonzero(partner != 0xFFFFFFFF)[0])
        partner[i] = int(np.flatnonzero(person != person[i])[0])
        columns["end_partner"] = pa.array(partner, pa.uint32())

    rewrite(saved, tmp_path / "partner.arrow", change)
    refused(tmp_path / "partner.arrow", "a partner is out of range")


def test_an_unchanged_rewrite_loads(saved, tmp_path):
    rewrite(saved, tmp_path / "same.arrow", lambda columns: None)
    same_register(sc.load_register(tmp_path / "same.arrow"), sc.load_register(saved))


def test_foreign_files_are_refused(saved, tmp_path):
    other = tmp_path / "other.arrow"
    pd.DataFrame({"employee_id": ["E1"], "start_date": ["2020-01-01"]}).to_feather(other)
    refused(other, "no staffcast.format in its metadata")
    renamed = tmp_path / "parquet.arrow"
    sc.read_register(SAMPLE / "employments.csv", extracted_on="2024-09-30").to_frame().to_parquet(renamed)
    refused(renamed, "is not a saved staffcast register")
    # A saved register's metadata over other columns: refused before its checksum is read.
    with pa.memory_map(str(saved)) as source:
        reader = pa.ipc.open_file(source)
        batch = reader.get_batch(0)
        names = ["hire_date" if name == "start_date" else name for name in batch.schema.names]
        renamed = pa.RecordBatch.from_arrays(batch.columns, names=names).replace_schema_metadata(
            reader.schema.metadata)
        with pa.OSFile(str(tmp_path / "renamed.arrow"), "wb") as sink, pa.ipc.new_file(sink, renamed.schema) as w:
            w.write_batch(renamed)
    refused(tmp_path / "renamed.arrow", "column 8 is 'hire_date', not 'start_date'")


def test_the_cli_exits_2_with_the_file_named(saved, tmp_path):
    data = bytearray(saved.read_bytes())
    data[len(data) // 2] ^= 0x01
    damaged = tmp_path / "damaged.arrow"
    damaged.write_bytes(bytes(data))
    result = run_cli("snapshot", damaged, "--as-of", "2024-09-30")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert str(damaged) in result.stderr and "saved staffcast register" in result.stderr


# ---------------------------------------------------------------- Parquet: a table, validated like a CSV


def test_parquet_is_read_as_a_table_and_validated_like_a_csv(tmp_path):
    read = sc.read_register(SAMPLE / "employments.csv", extracted_on="2024-09-30")
    with pytest.raises(ValueError, match="Arrow IPC"):
        read.save(tmp_path / "r.parquet")
    table = tmp_path / "r.parquet"
    pd.read_csv(SAMPLE / "employments.csv", dtype=str, keep_default_na=False).to_parquet(table)
    from_parquet = sc.read_register(table, extracted_on="2024-09-30")
    pd.testing.assert_frame_equal(from_parquet.to_frame(), read.to_frame())
    # The CSV path's checks: ages 15-100 at start_date, pass-through columns.
    frame = pd.read_csv(SAMPLE / "employments.csv", dtype=str, keep_default_na=False)
    frame.loc[0, "birth_date"] = "2015-01-01"
    frame["region"] = ""
    frame.to_parquet(table)
    with pytest.raises(sc.ValidationError) as caught:
        sc.read_register(table, extracted_on="2024-09-30", dimensions=["region"])
    assert {"implausible_age"} <= set(caught.value.issues["code"])
    assert (caught.value.issues["row"] == 2).any()
