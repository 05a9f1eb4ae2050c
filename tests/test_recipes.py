"The recipe is the one configuration: flags, resume keys, report fields, recipe files and the README's table all come from it."
import json, re, tomllib
import pytest
from fastcore.script import anno_parser
from pipeline.recipes import RECIPES, SETTINGS, RESUME_KEYS, get_recipe, recipe_table, recipe_toml
from conftest import ROOT, run_cli


def test_every_setting_has_its_flag_in_train_and_bench():
    import pipeline.train, pipeline.bench
    for main in (pipeline.train.main, pipeline.bench.main):
        flags = {o for a in anno_parser(main)._actions for o in a.option_strings}
        assert {'--' + k.replace('_', '-') for k in SETTINGS} <= flags
        assert {'--no-channels-last', '--no-compile'} <= flags


def test_readme_recipe_table_is_the_declaration():
    readme = (ROOT/'README.md').read_text()
    table = re.search(r'<!-- recipe-table[^>]*-->\n(.*?)\n<!-- /recipe-table -->', readme, re.S)
    assert table, 'the README has no recipe table between its markers'
    assert table.group(1) == recipe_table(), 'the README recipe table differs: paste pipeline.recipes.recipe_table() in'


def test_resume_keys_and_report_fields(toy_run):
    assert set(RESUME_KEYS) <= set(SETTINGS) and {'arch', 'epochs', 'bs', 'aug_p'} <= set(RESUME_KEYS)
    report = json.loads((toy_run/'toy.json').read_text())
    assert set(SETTINGS) <= set(report) and report['recipe'] == 'default' and report['config'] is None


@pytest.mark.parametrize('name', RECIPES)
def test_print_config_round_trip(name, tmp_path):
    "A printed recipe, read back by --config, is the same recipe: printed again, it is the same file."
    printed = run_cli('train', '--recipe', name, '--print-config', check=0).stdout
    assert printed.startswith(f'# python -m pipeline.train --recipe {name} --print-config\n')
    (tmp_path/'r.toml').write_text(printed)
    assert get_recipe(config=tmp_path/'r.toml') == get_recipe(name)
    again = run_cli('train', '--config', tmp_path/'r.toml', '--print-config', check=0).stdout
    assert again.splitlines()[1:] == printed.splitlines()[1:]
    assert set(tomllib.loads(printed)) == set(SETTINGS)


def test_flags_override_a_config(tmp_path):
    (tmp_path/'part.toml').write_text('epochs = 3\nlr = 0.004\n')
    d = tomllib.loads(run_cli('train', '--recipe', 'fast', '--config', tmp_path/'part.toml', '--lr', '5e-3', '--no-compile',
                              '--print-config', check=0).stdout)
    assert (d['arch'], d['epochs'], d['lr'], d['compile']) == ('dsc_fast_stem32', 3, 0.005, False)


@pytest.mark.parametrize('text, message', [
    ('epochs = 3\nmix_up = 0.2\n', "unknown setting 'mix_up'"),
    ('epochs = "three"\n', "epochs = 'three' is not an int"),
    ('opt = "rmsprop"\n', "unknown --opt 'rmsprop': choose one of auto, adam, adamw, sgd"),
    ('epochs = [3\n', 'not a TOML file'),
])
def test_bad_config_is_one_line(text, message, tmp_path):
    (tmp_path/'bad.toml').write_text(text)
    p = run_cli('train', '--config', tmp_path/'bad.toml', '--print-config', check=2)
    assert p.stderr.count('\n') == 1 and message in p.stderr and 'Traceback' not in p.stderr, p.stderr
    p = run_cli('train', '--config', tmp_path/'none.toml', check=2)
    assert 'no such file; write one with --print-config' in p.stderr


def test_a_config_file_trains(toy, tmp_path):
    "A recipe file runs: its settings are the run's, and the report says which file it was."
    conf = tmp_path/'tiny.toml'
    conf.write_text(recipe_toml(get_recipe('default', arch='dsc_net_s', epochs=2, bs=64, lr=3e-3, mode='memory')))
    run_cli('train', '--config', conf, '--data', toy, '--limit', 500, '--out', tmp_path, '--name', 'c', '--epochs', 1, check=0)
    r = json.loads((tmp_path/'c.json').read_text())
    assert (r['arch'], r['epochs'], r['bs'], r['lr'], r['mode'], r['config']) == ('dsc_net_s', 1, 64, 3e-3, 'memory', str(conf))
