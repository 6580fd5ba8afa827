// ts-jest wants an AST transformer module with name, version and factory; this wraps the
// Swagger CLI plugin that `nest build` applies (see nest-cli.json) so tests see the same document.
const { before } = require('@nestjs/swagger/plugin');
const { compilerOptions } = require('../../nest-cli.json');

const pluginOptions = compilerOptions.plugins.find(
  (plugin) => plugin.name === '@nestjs/swagger',
).options;

module.exports = {
  name: 'nestjs-swagger-transformer',
  version: 1,
  factory: (compiler) => before(pluginOptions, compiler.program),
};
